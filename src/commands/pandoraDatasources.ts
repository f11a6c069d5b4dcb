// Pandora datasource commands: create (name → type → where → file type → probe or type the schema), edit
// (what PUT may change), delete, and the jobs reading a datasource or a job.
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import { DATASOURCE_TYPES, FILE_TYPES, VAL_TYPES, type DatasourceBody, type DatasourceSpec, type DatasourceType, type FileType, type SchemaField } from '../api/pandora/types';
import { formatIssue, validateDatasource, validateName } from '../api/pandora/validation';
import { isPandoraNode } from '../providers/pandoraTree';
import { JobEditorPanel } from '../webviews/jobEditorPanel';
import type { PandoraCommandDeps } from './pandora';
import { askDatasourceUpdate, commaList, parseFieldList } from './pandoraDatasourceEdit';
import { cancelled, confirmDelete } from './pandoraPickers';

const t = vscode.l10n.t;
const tr = (template: string): string => vscode.l10n.t(template);

/** A name input box that refuses what the DataSourceName rule refuses. */
async function askName(title: string, prompt: string): Promise<string | undefined> {
  const name = await vscode.window.showInputBox({
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

async function askSpec(title: string, type: DatasourceType): Promise<DatasourceSpec> {
  if (type === 'fusion') {
    const domain = (await vscode.window.showInputBox({ title, prompt: t('CDN domain (one domain)'), ignoreFocusOut: true })) ?? cancelled();
    return { domains: [domain.trim()] };
  }
  const where = type === 'kodo'
    ? (await vscode.window.showInputBox({ title, prompt: t('Bucket (4–63 letters, digits, hyphens)'), ignoreFocusOut: true })) ?? cancelled()
    : (await vscode.window.showInputBox({ title, prompt: t('HDFS paths, comma-separated (e.g. hdfs://192.168.1.1:9000/usr/local)'), ignoreFocusOut: true })) ?? cancelled();
  const prefixes = type === 'kodo' ? (await vscode.window.showInputBox({ title, prompt: t('Key prefixes, comma-separated (optional)'), ignoreFocusOut: true })) ?? cancelled() : '';
  const fileType = ((await vscode.window.showQuickPick([...FILE_TYPES], { title, placeHolder: t('File type') })) ?? cancelled()) as FileType;
  const csv: { delimiter?: string; containsHeader?: boolean } = {};
  if (fileType === 'csv') {
    csv.delimiter = (await vscode.window.showInputBox({ title, prompt: t('CSV delimiter'), value: ',', ignoreFocusOut: true })) ?? cancelled();
    const header = (await vscode.window.showQuickPick([t('Yes'), t('No')], { title, placeHolder: t('Does the CSV have a header line?') })) ?? cancelled();
    csv.containsHeader = header === t('Yes');
  }
  return type === 'kodo'
    ? { bucket: where.trim(), ...(commaList(prefixes).length ? { keyPrefixes: commaList(prefixes) } : {}), fileType, ...csv }
    : { paths: commaList(where), fileType, ...csv };
}

export function registerDatasourceCommands(deps: PandoraCommandDeps): void {
  const { commands, client, tree, pickers, prompts } = deps;

  /** Interactive, or programmatic with {name, body} (tests, links). */
  commands.register('datahub.pandora.createDatasource', async (arg?: unknown) => {
    if (arg && typeof arg === 'object' && 'name' in arg && 'body' in arg) {
      const { name, body } = arg as { name: string; body: DatasourceBody };
      await client.createDatasource(name, body);
      tree.refresh();
      return name;
    }
    const title = t('Create Pandora Datasource');
    const name = (await askName(title, t('Datasource name'))) ?? cancelled();
    const type = ((await vscode.window.showQuickPick([...DATASOURCE_TYPES], { title, placeHolder: t('Type (region: nb)') })) ?? cancelled()) as DatasourceType;
    const spec = await askSpec(title, type);
    let schema: SchemaField[] = [];
    if ((spec as { fileType?: string }).fileType !== 'csv') {
      const probe = t('Probe the source for its schema');
      const how = (await vscode.window.showQuickPick([probe, t('Enter the fields')], { title })) ?? cancelled();
      if (how === probe) schema = (await client.probeSchema({ type, spec: spec as never })).map((f) => ({ ...f, required: false }));
    }
    const fieldsText = (await vscode.window.showInputBox({
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

  /** Interactive, or with a second argument {spec?, schema?} that replaces those parts (tests, links). */
  commands.register('datahub.pandora.editDatasource', async (arg?: unknown, change?: unknown) => {
    const ds = await client.getDatasource((await pickers.datasource(arg)).name);
    const given = change && typeof change === 'object' ? (change as { spec?: DatasourceSpec; schema?: SchemaField[] }) : undefined;
    const update = given ? { spec: given.spec ?? ds.spec, schema: given.schema ?? ds.schema } : ((await askDatasourceUpdate(prompts, ds)) ?? cancelled());
    await client.updateDatasource(ds.name, update);
    tree.refresh();
    if (!given) void vscode.window.showInformationMessage(t('Updated datasource {0}.', ds.name));
    return ds.name;
  });

  commands.register('datahub.pandora.deleteDatasource', async (arg?: unknown, options?: unknown) => {
    const ds = await pickers.datasource(arg);
    if (!(await confirmDelete(t('Delete datasource {0}?', ds.name), options))) return false;
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
    const picked = await vscode.window.showQuickPick(jobs.map((j) => ({ label: j.name, description: j.scheduler.type })), { title: t('Jobs reading {0}', what), placeHolder: t('Pick a job to open it in the job editor') });
    if (picked) JobEditorPanel.show(deps.panels, picked.label);
    return jobs.map((j) => j.name);
  });
}
