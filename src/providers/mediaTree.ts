// The Media view: Uploads (series → masters) and Downloads are the media task log's tasks with their state as the
// backend answers it (joined with the live transfer, if any, for progress); Private Blocks is the backend's list.
import * as vscode from 'vscode';
import type { MediaClient } from '../api/media/client';
import type { MediaTask } from '../api/media/types';
import { isFinished, type TransferEngine } from '../transfer/engine';
import { MEDIA_DOWNLOAD, downloadCheckpoint, mediaDownloadParams } from '../transfer/protocols/mediaDownload';
import { MEDIA_PRIVATE_UPLOAD, mediaPrivateParams } from '../transfer/protocols/mediaPrivateUpload';
import { mediaViewState } from '../transfer/protocols/mediaShared';
import { MEDIA_UPLOAD, mediaCheckpoint, mediaUploadParams } from '../transfer/protocols/mediaUpload';
import type { TransferRecord } from '../transfer/types';
import { mediaStatusText, mediaTaskDescription, mediaTaskIcon, mediaTransferContextValue, mediaTransferDescription, mediaTransferIcon, mediaTransferTooltip } from './mediaPresentation';
import type { MediaTaskEntry, MediaTaskLog } from './mediaTaskLog';
import type { MediaTaskQueries } from './mediaTaskQueries';
import { textTooltip } from './tooltips';
import { isProblemNode, problemCommand, problemIcon, problemItem, type ProblemNode, type ViewRecovery } from './viewProblems';

export type MediaNode =
  | { kind: 'section'; section: 'uploads' | 'downloads' | 'private' }
  | { kind: 'series'; seriesId: number; folderName: string }
  | { kind: 'transfer'; record: TransferRecord }
  /** A logged task; `record` is its live transfer in this window, `problem` the backend's failure to answer about it. */
  | { kind: 'task'; entry: MediaTaskEntry; record?: TransferRecord; problem?: ProblemNode }
  | { kind: 'privateSeries'; name: string; tasks: MediaTask[] }
  | { kind: 'privateTask'; task: MediaTask; transfer?: TransferRecord }
  | { kind: 'message'; text: string; icon: string; command?: vscode.Command }
  | ProblemNode;

export function isMediaNode<K extends MediaNode['kind']>(value: unknown, kind: K): value is Extract<MediaNode, { kind: K }> {
  return !!value && typeof value === 'object' && (value as { kind?: unknown }).kind === kind;
}

const MEDIA_PROTOCOLS = new Set([MEDIA_UPLOAD, MEDIA_DOWNLOAD, MEDIA_PRIVATE_UPLOAD]);

/** The local file a media transfer's "Reveal in Explorer" shows. */
export function mediaLocalPath(record: TransferRecord): string | undefined {
  if (record.protocol === MEDIA_DOWNLOAD) return downloadCheckpoint(record).outputPath ?? mediaDownloadParams(record).destDir;
  if (record.protocol === MEDIA_UPLOAD) return mediaUploadParams(record).path;
  if (record.protocol === MEDIA_PRIVATE_UPLOAD) return mediaPrivateParams(record).path;
  return record.localPath;
}

export class MediaTreeProvider implements vscode.TreeDataProvider<MediaNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MediaNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  private privateTasks: Promise<MediaTask[]> | undefined;
  private readonly sections: Record<'uploads' | 'downloads' | 'private', MediaNode> = {
    uploads: { kind: 'section', section: 'uploads' },
    downloads: { kind: 'section', section: 'downloads' },
    private: { kind: 'section', section: 'private' },
  };

  constructor(
    private readonly engine: TransferEngine,
    private readonly client: MediaClient,
    private readonly hasToken: () => Promise<boolean>,
    /** Error rows (endpoint not set, cannot reach…), and the refresh that brings the view back. */
    private readonly recovery: ViewRecovery,
    private readonly hasEndpoint: () => boolean,
    private readonly log: MediaTaskLog,
    private readonly queries: MediaTaskQueries,
  ) {
    let lastStates = '';
    const engineChanges = engine.onDidChange((record) => {
      if (record && !MEDIA_PROTOCOLS.has(record.protocol)) return;
      // A private block upload that just finished changes the backend's list: fetch it again.
      const states = engine.list().filter((r) => r.protocol === MEDIA_PRIVATE_UPLOAD).map((r) => r.state).join();
      if (states !== lastStates) {
        lastStates = states;
        this.privateTasks = undefined;
      }
      this.changed.fire(undefined);
    });
    const logChanges = log.onDidChange(() => this.changed.fire(undefined));
    this.subscription = { dispose: () => [engineChanges, logChanges].forEach((d) => d.dispose()) };
    void queries.refresh('all');
  }

  /** Loads the private list again and asks the backend about each logged task; resolves once it answered. */
  refresh(): Promise<void> {
    this.privateTasks = undefined;
    this.changed.fire(undefined);
    return this.queries.refresh('all');
  }

  /** Repaints with what the last queries said (after a pass of them). */
  repaint(): void {
    this.changed.fire(undefined);
  }

  /** The task rows of `kind`: the log's tasks joined with their live transfers, then live transfers that have no task yet. */
  private taskNodes(kind: 'upload' | 'download', protocol: string): MediaNode[] {
    const records = this.records(protocol);
    const byTask = new Map<number, TransferRecord>();
    // The newest transfer of a task wins (a retry after a clear is a new record of the same task).
    for (const r of records) {
      const taskId = mediaViewState(r).taskId;
      if (taskId !== undefined) byTask.set(taskId, r);
    }
    const tasks = this.log.list(kind).map((entry): MediaNode => {
      const error = this.queries.error(entry);
      const problem = error === undefined ? undefined : this.recovery.row(`media:task:${kind}:${entry.taskId}:problem`, error);
      return { kind: 'task', entry, record: byTask.get(entry.taskId), problem };
    });
    // A transfer whose create call has not answered yet (or failed) has no task: it shows as the transfer it is.
    const pending = records.filter((r) => mediaViewState(r).taskId === undefined).map((record): MediaNode => ({ kind: 'transfer', record }));
    return [...pending, ...tasks];
  }

  private records(protocol: string): TransferRecord[] {
    return this.engine.list().filter((r) => r.protocol === protocol);
  }

  async getChildren(node?: MediaNode): Promise<MediaNode[]> {
    if (!node) return [this.sections.uploads, this.sections.downloads, this.sections.private];
    switch (node.kind) {
      case 'section':
        if (node.section === 'uploads') return this.seriesNodes();
        if (node.section === 'downloads') {
          const downloads = this.taskNodes('download', MEDIA_DOWNLOAD);
          return downloads.length ? downloads : [{ kind: 'message', text: vscode.l10n.t('No downloads yet'), icon: 'info', command: { title: '', command: 'datahub.media.download' } }];
        }
        return this.privateSeriesNodes();
      case 'series':
        return this.taskNodes('upload', MEDIA_UPLOAD).filter((n) => this.seriesOf(n)?.seriesId === node.seriesId);
      case 'privateSeries': {
        const transfers = this.records(MEDIA_PRIVATE_UPLOAD);
        return node.tasks.map((task) => ({ kind: 'privateTask', task, transfer: transfers.find((r) => mediaPrivateParams(r).taskId === task.id && !isFinished(r.state)) }));
      }
      default:
        return [];
    }
  }

  /** The series of an upload row and its folder's name: the live transfer's, else what the backend answered. */
  private seriesOf(node: MediaNode): { seriesId: number; folderName: string } | undefined {
    const record = node.kind === 'task' || node.kind === 'transfer' ? node.record : undefined;
    if (record) {
      const p = mediaUploadParams(record);
      return { seriesId: p.seriesId, folderName: p.folderName };
    }
    if (node.kind === 'task' && node.entry.seriesId !== undefined) return { seriesId: node.entry.seriesId, folderName: node.entry.folder ?? '' };
    return undefined;
  }

  private seriesNodes(): MediaNode[] {
    const series = new Map<number, string>();
    for (const n of this.taskNodes('upload', MEDIA_UPLOAD)) {
      const s = this.seriesOf(n);
      if (s && !series.get(s.seriesId)) series.set(s.seriesId, s.folderName);
    }
    if (series.size === 0) return [{ kind: 'message', text: vscode.l10n.t('No uploads yet: right-click a folder → Upload Media Folder…'), icon: 'info' }];
    return [...series.entries()].map(([seriesId, folderName]) => ({ kind: 'series', seriesId, folderName }));
  }

  private async privateSeriesNodes(): Promise<MediaNode[]> {
    if (!this.hasEndpoint()) return [this.recovery.missingEndpoint('media:private:error')];
    if (!(await this.hasToken())) {
      return [{ kind: 'message', text: vscode.l10n.t('Set the media token to list private blocks'), icon: 'key', command: { title: '', command: 'datahub.setCredentials', arguments: ['media'] } }];
    }
    let tasks: MediaTask[];
    try {
      tasks = await (this.privateTasks ??= this.client.listPrivateTasks().then((l) => l.tasks));
    } catch (err) {
      this.privateTasks = undefined;
      return [this.recovery.row('media:private:error', err)];
    }
    if (tasks.length === 0) return [{ kind: 'message', text: vscode.l10n.t('No private block tasks'), icon: 'info' }];
    const groups = new Map<string, MediaTask[]>();
    for (const task of tasks) {
      const name = task.file || vscode.l10n.t('Series {0}', task.series_id);
      groups.set(name, [...(groups.get(name) ?? []), task]);
    }
    return [...groups.entries()].map(([name, list]) => ({ kind: 'privateSeries', name, tasks: list }));
  }

  getTreeItem(node: MediaNode): vscode.TreeItem {
    if (isProblemNode(node)) return problemItem(node);
    switch (node.kind) {
      case 'section': {
        const labels = { uploads: vscode.l10n.t('Uploads'), downloads: vscode.l10n.t('Downloads'), private: vscode.l10n.t('Private Blocks') };
        const icons = { uploads: 'cloud-upload', downloads: 'cloud-download', private: 'lock' };
        const item = new vscode.TreeItem(labels[node.section], vscode.TreeItemCollapsibleState.Expanded);
        item.id = `media:${node.section}`;
        item.iconPath = new vscode.ThemeIcon(icons[node.section]);
        item.contextValue = `mediaSection:${node.section}`;
        return item;
      }
      case 'series': {
        const item = new vscode.TreeItem(node.folderName || vscode.l10n.t('Series {0}', node.seriesId), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `media:series:${node.seriesId}`;
        item.description = vscode.l10n.t('series {0}', node.seriesId);
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.contextValue = 'mediaSeries';
        return item;
      }
      case 'transfer':
        return this.transferItem(node.record);
      case 'task':
        return this.taskItem(node);
      case 'privateSeries': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `media:private:${node.name}`;
        item.description = String(node.tasks.length);
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.contextValue = 'mediaPrivateSeries';
        return item;
      }
      case 'privateTask': {
        const { task, transfer } = node;
        const item = new vscode.TreeItem(task.source_name || task.name, vscode.TreeItemCollapsibleState.None);
        item.id = `media:privateTask:${task.id}`;
        item.description = transfer ? mediaTransferDescription(transfer) : `${mediaStatusText(task.status)}${task.status > 0 && task.status < 8 ? ` · ${task.percent}%` : ''}`;
        item.iconPath = new vscode.ThemeIcon(task.status === 8 ? 'pass' : task.status === 9 ? 'error' : transfer ? 'sync~spin' : 'lock');
        item.contextValue = `mediaPrivateTask:${task.status}:${task.hash ? 'hash' : 'nohash'}:source`;
        item.tooltip = textTooltip(task.source_name, [
          [vscode.l10n.t('Task'), task.id, 'code'],
          [vscode.l10n.t('Source'), task.source_id, 'code'],
          [vscode.l10n.t('Hash'), task.hash, 'code'],
        ]);
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = 'mediaMessage';
        if (node.command) item.command = { ...node.command, title: node.text };
        return item;
      }
    }
  }

  private taskItem(node: Extract<MediaNode, { kind: 'task' }>): vscode.TreeItem {
    const { entry, record, problem } = node;
    const live = record && record.state !== 'completed' ? record : undefined;
    const label = entry.name || record?.label || vscode.l10n.t('Task {0}', entry.taskId);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `media:task:${entry.kind}:${entry.taskId}`;
    const local = record ? mediaLocalPath(record) : undefined;
    const hash = entry.hash ?? (record ? mediaViewState(record).hash : undefined);
    // `:task` says the row is in the task log (Remove from List); `:source` last: Copy Source ID.
    const base = record ? mediaTransferContextValue(record, local !== undefined) : `mediaTask:${entry.status ?? 'unknown'}:${hash ? 'hash' : 'nohash'}`;
    item.contextValue = `${base}:task${entry.sourceId !== undefined ? ':source' : ''}`;
    if (problem) {
      // The backend could not answer about this task: the one error row style, on this row only.
      item.description = problem.label;
      item.iconPath = problemIcon(problem);
      item.command = problemCommand(problem);
    } else {
      item.description = live ? mediaTransferDescription(live) : mediaTaskDescription(entry.status, entry.percent);
      item.iconPath = live ? mediaTransferIcon(live) : mediaTaskIcon(entry.status);
    }
    item.tooltip = textTooltip(label, [
      [vscode.l10n.t('Status'), entry.status === undefined ? undefined : mediaStatusText(entry.status)],
      [vscode.l10n.t('Task'), entry.taskId, 'code'],
      [vscode.l10n.t('Source'), entry.sourceId, 'code'],
      [vscode.l10n.t('Series id'), entry.seriesId, 'code'],
      [vscode.l10n.t('Folder'), entry.folder],
      [vscode.l10n.t('Hash'), hash, 'code'],
      [vscode.l10n.t('Created'), new Date(entry.createdAt).toLocaleString()],
      [vscode.l10n.t('Backend answered'), entry.answeredAt === undefined ? undefined : new Date(entry.answeredAt).toLocaleString()],
      [vscode.l10n.t('Local path'), local],
      [vscode.l10n.t('Error'), problem ? problem.tooltip : record?.error],
    ]);
    item.accessibilityInformation = { label: `${label}, ${String(item.description)}` };
    return item;
  }

  private transferItem(record: TransferRecord): vscode.TreeItem {
    const local = mediaLocalPath(record);
    // A download is started by source id; once its task names the file, the row takes that name.
    const label = (record.protocol === MEDIA_DOWNLOAD ? downloadCheckpoint(record).sourceName : undefined) || record.label;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `media:transfer:${record.id}`;
    item.description = mediaTransferDescription(record);
    item.iconPath = mediaTransferIcon(record);
    // `:source` last: Copy Source ID is offered on rows that have one.
    item.contextValue = `${mediaTransferContextValue(record, local !== undefined)}${mediaViewState(record).sourceId !== undefined ? ':source' : ''}`;
    const cp = record.protocol === MEDIA_UPLOAD ? mediaCheckpoint(record) : downloadCheckpoint(record);
    item.tooltip = mediaTransferTooltip({ ...record, label }, [
      [vscode.l10n.t('Status'), typeof cp.mediaStatus === 'number' ? mediaStatusText(cp.mediaStatus) : undefined],
      [vscode.l10n.t('Task'), cp.taskId],
      [vscode.l10n.t('Source'), cp.sourceId],
      [vscode.l10n.t('Hash'), cp.hash],
      [vscode.l10n.t('Local path'), local],
    ]);
    item.accessibilityInformation = { label: `${label}, ${String(item.description)}` };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
