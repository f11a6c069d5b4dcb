// Pandora datasource commands: create (name → type → where → file type → probe or type the schema), edit
// (what PUT may change), delete, and the jobs reading a datasource or a job.
import * as vscode from 'vscode';
import { ValidationError } from '../../api/errors';
import { DATASOURCE_TYPES, FILE_TYPES, VAL_TYPES, type DatasourceBody, type DatasourceSpec, type DatasourceType, type FileType, type SchemaField } from '../../api/pandora/types';
import { formatIssue, validateDatasource, validateName } from '../../api/pandora/validation';
import { isPandoraNode } from '../../providers/pandoraTree';
import { JobEditorPanel } from '../../webviews/jobEditorPanel';
import type { Prompts } from '../../platform/prompts';
import type { PandoraCommandDeps } from './register';
import { askDatasourceUpdate, commaList, parseFieldList } from './datasourceEdit';
import { cancelled, confirmDelete } from './pickers';

const t = vscode.l10n.t;
const tr = (template: string): string => vscode.l10n.t(template);

/** A name input box that refuses what the DataSourceName rule refuses. */
async function askName(prompts: Prompts, title: string, prompt: string): Promise<string | undefined> {
  const name = await prompts.input({
    title,
    prompt,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const [issue] = validateName('name', v.trim());
      return issue ? formatIssue(issue, tr) : undefined;
    },
  });
  return name?.trim();
}

/** One of `labels`, or the command ends (dismissed). */
async function pickLabel<L extends string>(prompts: Prompts, labels: readonly L[], title: string, placeHolder?: string): Promise<L> {
  const picked = await prompts.pick(labels.map((label) => ({ label })), { title, placeHolder });
  return picked?.label ?? cancelled();
}

async function askSpec(prompts: Prompts, title: string, type: DatasourceType): Promise<DatasourceSpec> {
  const ask = async (prompt: string, value?: string): Promise<string> => (await prompts.input({ title, prompt, value, ignoreFocusOut: true })) ?? cancelled();
  if (type === 'fusion') {
    const domain = await ask(t('CDN domain (one domain)'));
    return { domains: [domain.trim()] };
  }
  const where = type === 'kodo' ? await ask(t('Bucket (4–63 letters, digits, hyphens)')) : await ask(t('HDFS paths, comma-separated (e.g. hdfs://192.168.1.1:9000/usr/local)'));
  const prefixes = type === 'kodo' ? await ask(t('Key prefixes, comma-separated (optional)')) : '';
  const fileType: FileType = await pickLabel(prompts, FILE_TYPES, title, t('File type'));
  const csv: { delimiter?: string; containsHeader?: boolean } = {};
  if (fileType === 'csv') {
    csv.delimiter = await ask(t('CSV delimiter'), ',');
    const header = await pickLabel(prompts, [t('Yes'), t('No')], title, t('Does the CSV have a header line?'));
    csv.containsHeader = header === t('Yes');
  }
  return type === 'kodo'
    ? { bucket: where.trim(), ...(commaList(prefixes).length ? { keyPrefixes: commaList(prefixes) } : {}), fileType, ...csv }
    : { paths: commaList(where), fileType, ...csv };
}

export function registerDatasourceCommands(deps: PandoraCommandDeps): void {
  const { commands, client, tree, pickers, prompts, dialogs } = deps;

  commands.register('datahub.pandora.createDatasource', async () => {
    const title = t('Create Pandora Datasource');
    const name = (await askName(prompts, title, t('Datasource name'))) ?? cancelled();
    const type: DatasourceType = await pickLabel(prompts, DATASOURCE_TYPES, title, t('Type (region: nb)'));
    const spec = await askSpec(prompts, title, type);
    let schema: SchemaField[] = [];
    if ((spec as { fileType?: string }).fileType !== 'csv') {
      const probe = t('Probe the source for its schema');
      const how = await pickLabel(prompts, [probe, t('Enter the fields')], title);
      if (how === probe) schema = (await client.probeSchema({ type, spec: spec as never })).map((f) => ({ ...f, required: false }));
    }
    const fieldsText = (await prompts.input({
      title,
      prompt: t('Schema fields as key:type, comma-separated; ! marks required (types: {0})', VAL_TYPES.join(', ')),
      value: schema.map((f) => `${f.key}:${f.valtype}${f.required ? '!' : ''}`).join(', '),
      ignoreFocusOut: true,
      validateInput: (v) => {
        const parsed = parseFieldList(v);
        return typeof parsed === 'string' ? parsed : undefined;
      },
    })) ?? cancelled();
    const body: DatasourceBody = { region: 'nb', type, spec, schema: parseFieldList(fieldsText) as SchemaField[] };
    const [issue] = validateDatasource(name, body);
    if (issue) throw new ValidationError(issue.field, formatIssue(issue, tr));
    await client.createDatasource(name, body);
    tree.refresh();
    void vscode.window.showInformationMessage(t('Created datasource {0}.', name));
    return name;
  });

  /** The datasource editor: what PUT may change. */
  commands.register('datahub.pandora.editDatasource', async (arg?: unknown) => {
    const ds = await client.getDatasource((await pickers.datasource(arg)).name);
    const update = (await askDatasourceUpdate(dialogs, ds)) ?? cancelled();
    await client.updateDatasource(ds.name, update);
    tree.refresh();
    void vscode.window.showInformationMessage(t('Updated datasource {0}.', ds.name));
    return ds.name;
  });

  commands.register('datahub.pandora.deleteDatasource', async (arg?: unknown) => {
    const ds = await pickers.datasource(arg);
    if (!(await confirmDelete(prompts, t('Delete datasource {0}?', ds.name)))) return false;
    await client.deleteDatasource(ds.name);
    tree.refresh();
    return true;
  });

  commands.register('datahub.pandora.showReaders', async (arg?: unknown) => {
    const filter = isPandoraNode(arg, 'datasource') ? { srcDatasource: arg.datasource.name } : isPandoraNode(arg, 'job') ? { srcJob: arg.job.name } : { srcDatasource: (await pickers.datasource(arg)).name };
    const what = filter.srcDatasource ?? filter.srcJob ?? '';
    const jobs = await client.listJobs(filter);
    if (jobs.length === 0) {
      void vscode.window.showInformationMessage(t('No job reads {0}.', what));
      return [];
    }
    const picked = await prompts.pick(jobs.map((j) => ({ label: j.name, description: j.scheduler.type })), { title: t('Jobs reading {0}', what), placeHolder: t('Pick a job to open it in the job editor') });
    if (picked) JobEditorPanel.show(deps.panels, picked.label);
    return jobs.map((j) => j.name);
  });
}
