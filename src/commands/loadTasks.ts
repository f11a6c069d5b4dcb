// Load task commands: create (from files or the palette), refresh, filter, pause, resume, retry failed, edit, delete, details, load more.
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import type { IngestClient } from '../api/ingest/client';
import { FileStatus, IntervalType, TaskStatus, type Connector, type LoadTask } from '../api/ingest/types';
import { INTERVAL_TYPES, isDecimalId } from '../api/ingest/validation';
import type { CommandRegistry } from '../platform/commands';
import { intervalLabel, sourceTypeLabel, taskStatusLabel } from '../providers/connectorsPresentation';
import type { ConnectorsTreeProvider } from '../providers/connectorsTree';
import { taskDetailsUri, type LoadTaskDetailsProvider } from '../providers/loadTasksDetails';
import { isTaskFileNode, isTaskNode, type LoadTaskFilter, type LoadTasksTreeProvider } from '../providers/loadTasksTree';

export interface LoadTaskCommandDeps {
  commands: CommandRegistry;
  client: IngestClient;
  connectorsTree: ConnectorsTreeProvider;
  loadTasksTree: LoadTasksTreeProvider;
  details: LoadTaskDetailsProvider;
  state: vscode.Memento;
  /** Re-renders the views' descriptions (the active filters). */
  updateDescriptions: () => void;
}

/** Answers a command may take instead of asking (scripts, tests, links). */
export interface TaskAnswers {
  connectorId?: number;
  uris?: string[];
  volumeId?: string;
  intervalType?: number;
  interval?: number;
  /** Delete without the confirmation dialog. */
  confirmed?: boolean;
}

const LAST_VOLUME_KEY = 'datahub.ingest.lastVolumeId';

/** Reads the answers object of a command when one is given; anything malformed is refused, naming the field. */
export function parseAnswers(value: unknown): TaskAnswers {
  if (value === undefined || value === null || Array.isArray(value) || typeof value !== 'object') return {};
  const v = value as Record<string, unknown>;
  const out: TaskAnswers = {};
  if (v.connectorId !== undefined) {
    if (typeof v.connectorId !== 'number' || !Number.isSafeInteger(v.connectorId)) throw new ValidationError('connectorId', 'must be an integer');
    out.connectorId = v.connectorId;
  }
  if (v.uris !== undefined) {
    if (!Array.isArray(v.uris) || v.uris.some((u) => typeof u !== 'string')) throw new ValidationError('uris', 'must be a list of strings');
    out.uris = v.uris as string[];
  }
  if (v.volumeId !== undefined) {
    if (!isDecimalId(v.volumeId)) throw new ValidationError('volumeId', 'must be a decimal id string');
    out.volumeId = v.volumeId;
  }
  if (v.intervalType !== undefined) {
    if (typeof v.intervalType !== 'number' || !INTERVAL_TYPES.includes(v.intervalType)) throw new ValidationError('intervalType', 'must be 1, 2, 3 or 4');
    out.intervalType = v.intervalType;
  }
  if (v.interval !== undefined) {
    if (typeof v.interval !== 'number' || !Number.isInteger(v.interval)) throw new ValidationError('interval', 'must be an integer');
    out.interval = v.interval;
  }
  if (v.confirmed !== undefined) out.confirmed = v.confirmed === true;
  return out;
}

export async function pickConnector(client: IngestClient, title: string): Promise<Connector | undefined> {
  const { connectors } = await client.listConnectors();
  if (connectors.length === 0) throw new Error(vscode.l10n.t('There is no connector yet. Add one first.'));
  const picked = await vscode.window.showQuickPick(
    connectors.map((c) => ({ label: c.name, description: `${sourceTypeLabel(c.sourceType)} · ${c.bucketName}`, detail: `ID ${c.id}`, connector: c })),
    { title, placeHolder: vscode.l10n.t('Choose a connector') },
  );
  return picked?.connector;
}

async function pickTask(client: IngestClient, title: string, statuses?: number[]): Promise<LoadTask | undefined> {
  const tasks = await client.listAllTasks({ status: statuses, orderBy: 'created_at', isDesc: true }, 200);
  if (tasks.length === 0) throw new Error(vscode.l10n.t('There is no load task to choose from.'));
  const picked = await vscode.window.showQuickPick(
    tasks.map((t) => {
      const mode = t.source_config.common_file_task_config.load_mode_config;
      return { label: t.volume_name || t.id, description: `${taskStatusLabel(t.status)} · ${intervalLabel(mode.load_interval_type, mode.interval)}`, detail: t.id, task: t };
    }),
    { title, placeHolder: vscode.l10n.t('Choose a load task') },
  );
  return picked?.task;
}

/** The task a command acts on: the tree node's, or one picked from the list. */
async function taskOf(deps: LoadTaskCommandDeps, node: unknown, title: string, statuses?: number[]): Promise<LoadTask | undefined> {
  if (isTaskNode(node)) return node.task;
  if (isTaskFileNode(node)) return deps.client.getTask(node.taskId);
  return pickTask(deps.client, title, statuses);
}

/** Multi-select of a connector's files (directories included), `preselected` ticked. */
export async function pickFiles(client: IngestClient, connector: Connector, title: string, preselected: readonly string[] = []): Promise<string[] | undefined> {
  const files = await client.listConnectorFiles(connector.id);
  const items = files.map((f) => ({
    label: f.uri,
    description: f.type === 10 ? vscode.l10n.t('directory') : undefined,
    picked: preselected.includes(f.uri),
    uri: f.uri,
  }));
  for (const uri of preselected) if (!files.some((f) => f.uri === uri)) items.push({ label: uri, description: vscode.l10n.t('not in the bucket'), picked: true, uri });
  const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: vscode.l10n.t('Choose the files to load') });
  return picked?.map((p) => p.uri);
}

async function askInterval(title: string, current?: { type: number; interval: number }): Promise<{ intervalType: number; interval: number } | undefined> {
  const options = [
    { label: vscode.l10n.t('Once'), type: IntervalType.Once },
    { label: vscode.l10n.t('Daily'), type: IntervalType.Daily },
    { label: vscode.l10n.t('Hourly'), type: IntervalType.Hourly },
    { label: vscode.l10n.t('Every minute'), type: IntervalType.Minutely },
  ].map((o) => ({ ...o, description: current?.type === o.type ? vscode.l10n.t('current') : undefined }));
  const picked = await vscode.window.showQuickPick(options, { title, placeHolder: vscode.l10n.t('How often to load') });
  if (!picked) return undefined;
  if (picked.type === IntervalType.Once) return { intervalType: IntervalType.Once, interval: 0 };
  const unit = picked.type === IntervalType.Daily ? vscode.l10n.t('days') : picked.type === IntervalType.Hourly ? vscode.l10n.t('hours') : vscode.l10n.t('minutes');
  const text = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('How many {0} between runs', unit),
    value: String(current && current.type === picked.type ? current.interval : 1),
    validateInput: (v) => (/^[1-9]\d{0,3}$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter a whole number from 1 to 9999')),
  });
  if (text === undefined) return undefined;
  return { intervalType: picked.type, interval: Number(text.trim()) };
}

/** Asks what is missing (volume, interval) and creates the task; true when created. */
export async function createLoadTaskFlow(deps: LoadTaskCommandDeps, connectorId: number, uris: string[], answers: TaskAnswers): Promise<boolean> {
  const title = vscode.l10n.t('Create Load Task');
  let volumeId = answers.volumeId;
  if (volumeId === undefined) {
    volumeId = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('ID of the raw volume to load {0} file(s) into', uris.length),
      value: deps.state.get<string>(LAST_VOLUME_KEY) ?? '',
      placeHolder: '1889223879880048640',
      ignoreFocusOut: true,
      validateInput: (v) => (isDecimalId(v.trim()) ? undefined : vscode.l10n.t('A volume id is a number such as 1889223879880048640')),
    });
    if (volumeId === undefined) return false;
    volumeId = volumeId.trim();
  }
  let mode: { intervalType: number; interval: number } | undefined;
  if (answers.intervalType !== undefined) mode = { intervalType: answers.intervalType, interval: answers.interval ?? (answers.intervalType === 4 ? 0 : 1) };
  else mode = await askInterval(title);
  if (!mode) return false;
  await deps.client.createTask({ connectorId, volumeId, uris, intervalType: mode.intervalType, interval: mode.interval });
  await deps.state.update(LAST_VOLUME_KEY, volumeId);
  deps.loadTasksTree.refresh();
  deps.connectorsTree.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Load task created: {0} file(s) into volume {1}.', uris.length, volumeId));
  return true;
}

function filterItems(filter: LoadTaskFilter): (vscode.QuickPickItem & { status?: number; intervalType?: number })[] {
  const statusItems = [TaskStatus.Running, TaskStatus.Pausing, TaskStatus.Paused, TaskStatus.Finished].map((s) => ({
    label: taskStatusLabel(s),
    description: vscode.l10n.t('status'),
    picked: filter.status?.includes(s) ?? false,
    status: s,
  }));
  const intervalItems = [IntervalType.Once, IntervalType.Daily, IntervalType.Hourly, IntervalType.Minutely].map((t) => ({
    label: intervalLabel(t, 1),
    description: vscode.l10n.t('interval'),
    picked: filter.intervalTypes?.includes(t) ?? false,
    intervalType: t,
  }));
  return [
    { label: vscode.l10n.t('Status'), kind: vscode.QuickPickItemKind.Separator },
    ...statusItems,
    { label: vscode.l10n.t('Interval'), kind: vscode.QuickPickItemKind.Separator },
    ...intervalItems,
  ];
}

function parseFilter(value: unknown): LoadTaskFilter | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const ints = (x: unknown, name: string, max: number): number[] | undefined => {
    if (x === undefined) return undefined;
    if (!Array.isArray(x) || x.some((n) => typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max)) throw new ValidationError(name, `must be a list of integers 0–${max}`);
    return x as number[];
  };
  return { status: ints(v.status, 'status', 4), intervalTypes: ints(v.intervalTypes, 'intervalTypes', 4) };
}

export function registerLoadTaskCommands(deps: LoadTaskCommandDeps): void {
  const { commands, client, loadTasksTree } = deps;
  const done = (): void => loadTasksTree.refresh();

  commands.register('datahub.loadTasks.refresh', () => done());

  commands.register('datahub.loadTasks.create', async (arg?: unknown) => {
    const answers = parseAnswers(arg);
    const title = vscode.l10n.t('Create Load Task');
    let connectorId = answers.connectorId;
    let connector: Connector | undefined;
    if (connectorId === undefined) {
      connector = await pickConnector(client, title);
      if (!connector) return false;
      connectorId = connector.id;
    }
    let uris = answers.uris;
    if (!uris) {
      connector ??= (await client.listConnectors()).connectors.find((c) => c.id === connectorId);
      if (!connector) throw new ValidationError('connectorId', `connector ${connectorId} does not exist`);
      uris = await pickFiles(client, connector, title);
      if (!uris || uris.length === 0) return false;
    }
    return createLoadTaskFlow(deps, connectorId, uris, answers);
  });

  commands.register('datahub.loadTasks.filter', async (arg?: unknown) => {
    let filter = parseFilter(arg);
    if (!filter) {
      const picked = await vscode.window.showQuickPick(filterItems(loadTasksTree.filter), {
        title: vscode.l10n.t('Filter Load Tasks'),
        canPickMany: true,
        placeHolder: vscode.l10n.t('Show tasks with these statuses and intervals (none = all)'),
      });
      if (!picked) return undefined;
      filter = {
        status: picked.flatMap((p) => (p.status !== undefined ? [p.status] : [])),
        intervalTypes: picked.flatMap((p) => (p.intervalType !== undefined ? [p.intervalType] : [])),
      };
    }
    loadTasksTree.setFilter(filter);
    deps.updateDescriptions();
    return loadTasksTree.filter;
  });

  commands.register('datahub.loadTasks.pause', async (node?: unknown) => {
    const task = await taskOf(deps, node, vscode.l10n.t('Pause Load Task'), [TaskStatus.Running]);
    if (!task) return false;
    await client.pauseTask(task.id);
    done();
    return true;
  });

  commands.register('datahub.loadTasks.resume', async (node?: unknown) => {
    const task = await taskOf(deps, node, vscode.l10n.t('Resume Load Task'), [TaskStatus.Pausing, TaskStatus.Paused]);
    if (!task) return false;
    await client.resumeTask(task.id);
    done();
    return true;
  });

  commands.register('datahub.loadTasks.retryFailed', async (node?: unknown, nodes?: unknown) => {
    const selected = (Array.isArray(nodes) ? nodes : [node]).filter(isTaskFileNode).filter((n) => n.file.status === FileStatus.Failed);
    let retried = 0;
    if (selected.length > 0) {
      const byTask = new Map<string, string[]>();
      for (const n of selected) byTask.set(n.taskId, [...(byTask.get(n.taskId) ?? []), n.file.id]);
      for (const [taskId, ids] of byTask) await client.retryTask(taskId, ids);
      retried = selected.length;
    } else {
      const task = await taskOf(deps, isTaskFileNode(node) ? undefined : node, vscode.l10n.t('Retry Failed Files'));
      if (!task) return 0;
      const ids = await client.failedFileIds(task.id);
      if (ids.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No failed file in this task.'));
        return 0;
      }
      await client.retryTask(task.id, ids);
      retried = ids.length;
    }
    void vscode.window.showInformationMessage(vscode.l10n.t('Retrying {0} failed file(s).', retried));
    done();
    return retried;
  });

  commands.register('datahub.loadTasks.edit', async (node?: unknown, _nodes?: unknown, arg?: unknown) => {
    const answers = parseAnswers(arg);
    const title = vscode.l10n.t('Edit Load Task');
    const task = await taskOf(deps, node, title);
    if (!task) return false;
    const current = task.source_config.common_file_task_config;
    let uris = answers.uris;
    let mode: { intervalType: number; interval: number } | undefined =
      answers.intervalType !== undefined ? { intervalType: answers.intervalType, interval: answers.interval ?? (answers.intervalType === 4 ? 0 : 1) } : undefined;
    if (uris === undefined && mode === undefined) {
      const what = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('Files…'), description: vscode.l10n.t('{0} uri(s)', current.uris.length), key: 'uris' as const },
          { label: vscode.l10n.t('Interval…'), description: intervalLabel(current.load_mode_config.load_interval_type, current.load_mode_config.interval), key: 'interval' as const },
        ],
        { title, placeHolder: vscode.l10n.t('What to change') },
      );
      if (!what) return false;
      if (what.key === 'uris') {
        const connector = (await client.listConnectors()).connectors.find((c) => c.id === task.source_connector_id);
        if (!connector) throw new Error(vscode.l10n.t('The connector {0} of this task no longer exists.', task.source_connector_id));
        uris = await pickFiles(client, connector, title, current.uris);
        if (!uris || uris.length === 0) return false;
      } else {
        mode = await askInterval(title, { type: current.load_mode_config.load_interval_type, interval: current.load_mode_config.interval ?? 0 });
        if (!mode) return false;
      }
    }
    await client.updateTask(task.id, { uris, intervalType: mode?.intervalType, interval: mode?.interval });
    done();
    void vscode.window.showInformationMessage(vscode.l10n.t('Load task {0} updated.', task.volume_name || task.id));
    return true;
  });

  commands.register('datahub.loadTasks.delete', async (node?: unknown, _nodes?: unknown, arg?: unknown) => {
    const answers = parseAnswers(arg);
    const task = await taskOf(deps, node, vscode.l10n.t('Delete Load Task'));
    if (!task) return false;
    if (!answers.confirmed) {
      const del = vscode.l10n.t('Delete');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete the load task {0} ({1})?', task.volume_name || task.id, task.id),
        { modal: true, detail: vscode.l10n.t('Files already loaded stay in the volume; the task and its history are removed.') },
        del,
      );
      if (choice !== del) return false;
    }
    await client.deleteTask(task.id);
    done();
    deps.connectorsTree.refresh();
    return true;
  });

  commands.register('datahub.loadTasks.showDetails', async (node?: unknown) => {
    const task = await taskOf(deps, node, vscode.l10n.t('Show Load Task Details'));
    if (!task) return undefined;
    const uri = taskDetailsUri(task.id);
    deps.details.reload(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
    return uri.toString();
  });

  commands.register('datahub.loadTasks.loadMore', async (taskId?: unknown) => {
    if (!isDecimalId(taskId)) throw new ValidationError('task_id', 'must be a decimal id string');
    await loadTasksTree.loadMore(taskId);
  });
}
