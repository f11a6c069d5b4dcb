// Pandora commands: datasources, jobs (start with params, stop), exports, runs (stop, rerun), credentials, refresh.
// Each command takes its tree node, or asks with a quick pick when run from the palette.
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import type { PandoraClient } from '../api/pandora/client';
import { allows } from '../api/pandora/runs';
import {
  DATASOURCE_TYPES,
  FILE_TYPES,
  RUN_STATUSES,
  VAL_TYPES,
  type Datasource,
  type DatasourceBody,
  type DatasourceSpec,
  type DatasourceType,
  type FileType,
  type HistoryRun,
  type RunParam,
  type RunStatus,
  type SchemaField,
  type ValType,
} from '../api/pandora/types';
import { formatIssue, NAME_RE, validateDatasource, validateName } from '../api/pandora/validation';
import type { CommandRegistry } from '../platform/commands';
import type { CredentialStore } from '../platform/secrets';
import { isPandoraNode, type PandoraTreeProvider } from '../providers/pandoraTree';
import { runStatusLabel } from '../providers/pandoraPresentation';
import { ExportEditorPanel } from '../webviews/exportEditorPanel';
import { JobEditorPanel } from '../webviews/jobEditorPanel';
import type { PandoraPanelDeps } from '../webviews/jobEditorPanelSupport';

export interface PandoraCommandDeps {
  commands: CommandRegistry;
  credentials: CredentialStore;
  client: PandoraClient;
  tree: PandoraTreeProvider;
  panels: PandoraPanelDeps;
}

const t = vscode.l10n.t;
const tr = (template: string): string => vscode.l10n.t(template);

/** A name input box that refuses what validateName refuses. */
async function askName(title: string, prompt: string, value = ''): Promise<string | undefined> {
  const name = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const [issue] = validateName('name', v.trim());
      return issue ? formatIssue(issue, tr) : undefined;
    },
  });
  return name?.trim();
}

function cancelled(): never {
  throw new vscode.CancellationError();
}

/** `key:type` pairs, `!` marks a required field: "host:string!, bytes:long". */
export function parseFieldList(text: string): SchemaField[] | string {
  const fields: SchemaField[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^:\s]+)\s*:\s*([a-z]+)(!?)$/.exec(part);
    if (!m) return t('“{0}” is not key:type (types: {1}; add ! for required).', part, VAL_TYPES.join(', '));
    if (!NAME_RE.test(m[1])) return t('“{0}”: {1}', m[1], tr('Use 1–128 letters, digits or underscores, starting with a letter or underscore.'));
    if (!(VAL_TYPES as readonly string[]).includes(m[2])) return t('“{0}” is not key:type (types: {1}; add ! for required).', part, VAL_TYPES.join(', '));
    fields.push({ key: m[1], valtype: m[2] as ValType, required: m[3] === '!' });
  }
  return fields;
}

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean);

export function registerPandoraCommands(deps: PandoraCommandDeps): void {
  const { commands, client, tree } = deps;
  const refresh = (): void => tree.refresh();

  const pickDatasource = async (arg: unknown): Promise<Datasource> => {
    if (isPandoraNode(arg, 'datasource')) return arg.datasource;
    const all = await client.listDatasources();
    if (all.length === 0) throw new ValidationError('datasource', t('there are no datasources yet'));
    const picked = await vscode.window.showQuickPick(all.map((d) => ({ label: d.name, description: `${d.type} · ${d.region}`, d })), { title: t('Pandora datasource'), placeHolder: t('Pick a datasource') });
    return picked?.d ?? cancelled();
  };

  const pickJob = async (arg: unknown, filter?: (status: RunStatus | undefined) => boolean): Promise<string> => {
    if (isPandoraNode(arg, 'job')) return arg.job.name;
    if (isPandoraNode(arg, 'exports') || isPandoraNode(arg, 'history')) return arg.job;
    if (typeof arg === 'string' && arg) return arg;
    const jobs = await client.listJobs();
    const lasts = await Promise.all(jobs.map((j) => client.history(j.name, { runId: -1 }).then((p) => p.history[0]).catch(() => undefined)));
    const items = jobs
      .map((j, i) => ({ label: j.name, description: lasts[i] ? runStatusLabel(lasts[i].status) : t('never run'), detail: j.computation.code.replace(/\s+/g, ' ').slice(0, 120), status: lasts[i]?.status }))
      .filter((item) => !filter || filter(item.status));
    if (items.length === 0) throw new ValidationError('job', t('no job fits'));
    const picked = await vscode.window.showQuickPick(items, { title: t('Pandora job'), placeHolder: t('Pick a job'), matchOnDetail: true });
    return picked?.label ?? cancelled();
  };

  /** A modal confirmation, skipped when the caller passed {confirmed: true} (tests, scripts). */
  const confirm = async (message: string, options: unknown): Promise<boolean> => {
    if (options && typeof options === 'object' && (options as { confirmed?: unknown }).confirmed === true) return true;
    const yes = t('Delete');
    return (await vscode.window.showWarningMessage(message, { modal: true }, yes)) === yes;
  };

  const pickExport = async (arg: unknown): Promise<{ job: string; name: string }> => {
    if (isPandoraNode(arg, 'export')) return { job: arg.job, name: arg.export.name };
    const job = await pickJob(undefined);
    const exports = await client.listExports(job);
    if (exports.length === 0) throw new ValidationError('export', t('job {0} has no exports', job));
    const picked = await vscode.window.showQuickPick(exports.map((e) => ({ label: e.name, description: e.type })), { title: t('Export of {0}', job) });
    return { job, name: picked?.label ?? cancelled() };
  };

  const pickRun = async (arg: unknown, action: 'stop' | 'rerun'): Promise<{ job: string; run: HistoryRun }> => {
    if (isPandoraNode(arg, 'run')) return { job: arg.job, run: arg.run };
    const job = await pickJob(undefined);
    const page = await client.history(job, { page: 1, size: 50, sortBy: '-endTime' });
    const runs = page.history.filter((r) => allows(r.status, action));
    if (runs.length === 0) throw new ValidationError('runId', action === 'stop' ? t('job {0} has no Running run', job) : t('job {0} has no run that can be rerun', job));
    const picked = await vscode.window.showQuickPick(runs.map((r) => ({ label: t('Run {0}', r.runId), description: `${runStatusLabel(r.status)} · ${r.startTime ?? ''}`, r })), { title: t('Run of {0}', job) });
    return { job, run: picked?.r ?? cancelled() };
  };

  commands.register('datahub.pandora.refresh', () => refresh());

  commands.register('datahub.pandora.setCredentials', async () => {
    const keys = t('AccessKey and SecretKey');
    const token = t('Paste a token');
    const how = await vscode.window.showQuickPick([{ label: keys, detail: t('Requests are signed with HMAC-SHA1 (the SecretKey never leaves this computer).') }, { label: token, detail: t('A pre-made token sent as the whole Authorization header.') }], { title: t('Pandora credentials') });
    if (!how) return false;
    if (how.label === keys) {
      const ak = await vscode.window.showInputBox({ title: t('Pandora AccessKey'), prompt: t('Stored in VS Code secret storage.'), value: (await deps.credentials.get('pandora', 'accessKey')) ?? '', ignoreFocusOut: true });
      if (!ak) return false;
      const sk = await vscode.window.showInputBox({ title: t('Pandora SecretKey'), prompt: t('Stored in VS Code secret storage.'), password: true, ignoreFocusOut: true });
      if (!sk) return false;
      await deps.credentials.set('pandora', 'accessKey', ak.trim());
      await deps.credentials.set('pandora', 'secretKey', sk.trim());
      await deps.credentials.set('pandora', 'token', '');
    } else {
      const value = await vscode.window.showInputBox({ title: t('Pandora token'), prompt: t('The whole Authorization value, e.g. "Pandora …". Stored in VS Code secret storage.'), password: true, ignoreFocusOut: true });
      if (!value) return false;
      await deps.credentials.set('pandora', 'token', value.trim());
      await deps.credentials.set('pandora', 'accessKey', '');
      await deps.credentials.set('pandora', 'secretKey', '');
    }
    refresh();
    return true;
  });

  // Datasources
  /** Interactive, or programmatic with {name, body} (tests, links). */
  commands.register('datahub.pandora.createDatasource', async (arg?: unknown) => {
    if (arg && typeof arg === 'object' && 'name' in arg && 'body' in arg) {
      const { name, body } = arg as { name: string; body: DatasourceBody };
      await client.createDatasource(name, body);
      refresh();
      return name;
    }
    const title = t('Create Pandora Datasource');
    const name = (await askName(title, t('Datasource name'))) ?? cancelled();
    const type = ((await vscode.window.showQuickPick([...DATASOURCE_TYPES], { title, placeHolder: t('Type (region: nb)') })) ?? cancelled()) as DatasourceType;
    let spec: DatasourceSpec;
    if (type === 'fusion') {
      const domain = (await vscode.window.showInputBox({ title, prompt: t('CDN domain (one domain)'), ignoreFocusOut: true })) ?? cancelled();
      spec = { domains: [domain.trim()] };
    } else {
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
      spec = type === 'kodo'
        ? { bucket: where.trim(), ...(list(prefixes).length ? { keyPrefixes: list(prefixes) } : {}), fileType, ...csv }
        : { paths: list(where), fileType, ...csv };
    }
    let schema: SchemaField[] = [];
    const fileType = (spec as { fileType?: string }).fileType;
    if (fileType !== 'csv') {
      const probe = t('Probe the source for its schema');
      const manual = t('Enter the fields');
      const how = (await vscode.window.showQuickPick([probe, manual], { title })) ?? cancelled();
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
    schema = parseFieldList(fieldsText) as SchemaField[];
    const body: DatasourceBody = { region: 'nb', type, spec, schema };
    const [issue] = validateDatasource(name, body);
    if (issue) throw new ValidationError(issue.field, formatIssue(issue, tr));
    await client.createDatasource(name, body);
    refresh();
    void vscode.window.showInformationMessage(t('Created datasource {0}.', name));
    return name;
  });

  /** Interactive, or with a second argument {spec?, schema?} that replaces those parts (tests). */
  commands.register('datahub.pandora.editDatasource', async (arg?: unknown, change?: unknown) => {
    const ds = await client.getDatasource((await pickDatasource(arg)).name);
    if (change && typeof change === 'object') {
      const c = change as { spec?: DatasourceSpec; schema?: SchemaField[] };
      await client.updateDatasource(ds.name, { spec: c.spec ?? ds.spec, schema: c.schema ?? ds.schema });
      refresh();
      return ds.name;
    }
    const title = t('Edit Pandora Datasource {0}', ds.name);
    const addFields = t('Add fields…');
    const where = ds.type === 'kodo' ? t('Change key prefixes…') : ds.type === 'hdfs' ? t('Change paths…') : t('Change domain…');
    const action = (await vscode.window.showQuickPick([addFields, where], { title, placeHolder: t('Fields may be added, never removed or retyped') })) ?? cancelled();
    const spec = { ...(ds.spec as unknown as Record<string, unknown>) };
    let schema = ds.schema;
    if (action === addFields) {
      const text = (await vscode.window.showInputBox({ title, prompt: t('New fields as key:type, comma-separated; ! marks required'), ignoreFocusOut: true, validateInput: (v) => (typeof parseFieldList(v) === 'string' ? (parseFieldList(v) as string) : undefined) })) ?? cancelled();
      schema = [...ds.schema, ...(parseFieldList(text) as SchemaField[])];
    } else {
      const key = ds.type === 'kodo' ? 'keyPrefixes' : ds.type === 'hdfs' ? 'paths' : 'domains';
      const current = ((spec[key] as string[] | undefined) ?? []).join(', ');
      const text = (await vscode.window.showInputBox({ title, prompt: t('Comma-separated'), value: current, ignoreFocusOut: true })) ?? cancelled();
      spec[key] = list(text);
    }
    await client.updateDatasource(ds.name, { spec: spec as unknown as DatasourceSpec, schema });
    refresh();
    void vscode.window.showInformationMessage(t('Updated datasource {0}.', ds.name));
  });

  commands.register('datahub.pandora.deleteDatasource', async (arg?: unknown, options?: unknown) => {
    const ds = await pickDatasource(arg);
    if (!(await confirm(t('Delete datasource {0}?', ds.name), options))) return false;
    await client.deleteDatasource(ds.name);
    refresh();
    return true;
  });

  commands.register('datahub.pandora.showReaders', async (arg?: unknown) => {
    const filter = isPandoraNode(arg, 'datasource') ? { srcDatasource: arg.datasource.name } : isPandoraNode(arg, 'job') ? { srcJob: arg.job.name } : { srcDatasource: (await pickDatasource(arg)).name };
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

  // Jobs
  commands.register('datahub.pandora.createJob', () => {
    JobEditorPanel.show(deps.panels);
  });
  commands.register('datahub.pandora.editJob', async (arg?: unknown) => {
    JobEditorPanel.show(deps.panels, await pickJob(arg));
  });
  commands.register('datahub.pandora.deleteJob', async (arg?: unknown, options?: unknown) => {
    const name = await pickJob(arg);
    if (!(await confirm(t('Delete job {0} with its exports and run history?', name), options))) return false;
    await client.deleteJob(name);
    refresh();
    return true;
  });

  /** Asks each declared param with its default prefilled; `values` (tests, links) skips the questions. */
  commands.register('datahub.pandora.startJob', async (arg?: unknown, values?: unknown) => {
    const name = await pickJob(arg);
    const job = await client.getJob(name);
    const params: RunParam[] = [];
    const given = values && typeof values === 'object' ? (values as Record<string, unknown>) : undefined;
    for (const [i, p] of (job.params ?? []).entries()) {
      if (given) {
        params.push({ name: p.name, value: typeof given[p.name] === 'string' ? (given[p.name] as string) : p.default });
        continue;
      }
      const value = await vscode.window.showInputBox({ title: t('Start {0} ({1}/{2})', name, i + 1, job.params?.length ?? 0), prompt: t('Value of $({0})', p.name), value: p.default, ignoreFocusOut: true });
      if (value === undefined) cancelled();
      params.push({ name: p.name, value });
    }
    await client.startJob(name, params);
    refresh();
    void vscode.window.showInformationMessage(t('Started job {0}.', name));
    return name;
  });

  commands.register('datahub.pandora.stopJob', async (arg?: unknown) => {
    const name = await pickJob(arg, (status) => status === 'Running');
    await client.stopJob(name);
    refresh();
    void vscode.window.showInformationMessage(t('Stopped job {0}.', name));
    return name;
  });

  // Exports
  commands.register('datahub.pandora.createExport', async (arg?: unknown) => {
    ExportEditorPanel.show(deps.panels, await pickJob(arg));
  });
  commands.register('datahub.pandora.editExport', async (arg?: unknown) => {
    const { job, name } = await pickExport(arg);
    ExportEditorPanel.show(deps.panels, job, name);
  });
  commands.register('datahub.pandora.deleteExport', async (arg?: unknown, options?: unknown) => {
    const { job, name } = await pickExport(arg);
    if (!(await confirm(t('Delete export {0} of {1}?', name, job), options))) return false;
    await client.deleteExport(job, name);
    refresh();
    return true;
  });

  // Runs
  commands.register('datahub.pandora.stopRun', async (arg?: unknown) => {
    const { job, run } = await pickRun(arg, 'stop');
    const result = await client.stopRun(job, run.runId);
    refresh();
    void vscode.window.showInformationMessage(t('Run {0} of {1}: {2} → {3}', run.runId, job, runStatusLabel(result.preStatus), runStatusLabel(result.postStatus)));
    return result;
  });
  commands.register('datahub.pandora.rerunRun', async (arg?: unknown) => {
    const { job, run } = await pickRun(arg, 'rerun');
    const result = await client.rerunRun(job, run.runId);
    refresh();
    void vscode.window.showInformationMessage(t('Run {0} of {1}: {2} → {3} (rerun {4})', run.runId, job, runStatusLabel(result.preStatus), runStatusLabel(result.postStatus), result.rerunCount ?? 0));
    return result;
  });
  commands.register('datahub.pandora.filterHistory', async (arg?: unknown, status?: unknown) => {
    const job = await pickJob(arg);
    if (typeof status === 'string') {
      tree.setHistoryFilter(job, (RUN_STATUSES as readonly string[]).includes(status) ? (status as RunStatus) : undefined);
      return;
    }
    const all = t('All statuses');
    const picked = await vscode.window.showQuickPick([{ label: all, status: undefined }, ...RUN_STATUSES.map((s) => ({ label: runStatusLabel(s), status: s }))], { title: t('Run History of {0}', job) });
    if (!picked) return;
    tree.setHistoryFilter(job, picked.status);
  });
  commands.register('datahub.pandora.showMoreRuns', (arg?: unknown) => {
    if (isPandoraNode(arg, 'more')) tree.showMore(arg.job);
  });
}
