// The Media view: Uploads (series → masters), Downloads, and Private Blocks (the backend's list, grouped by series name).
import * as vscode from 'vscode';
import type { MediaClient } from '../api/media/client';
import type { MediaTask } from '../api/media/types';
import { isFinished, type TransferEngine } from '../transfer/engine';
import { MEDIA_DOWNLOAD, downloadCheckpoint, mediaDownloadParams } from '../transfer/protocols/mediaDownload';
import { MEDIA_PRIVATE_UPLOAD, mediaPrivateParams } from '../transfer/protocols/mediaPrivateUpload';
import { mediaViewState } from '../transfer/protocols/mediaShared';
import { MEDIA_UPLOAD, mediaCheckpoint, mediaUploadParams } from '../transfer/protocols/mediaUpload';
import type { TransferRecord } from '../transfer/types';
import { mediaStatusText, mediaTransferContextValue, mediaTransferDescription, mediaTransferIcon, mediaTransferTooltip } from './mediaPresentation';
import { textTooltip } from './tooltips';
import { isProblemNode, problemItem, type ProblemNode, type ViewRecovery } from './viewProblems';

export type MediaNode =
  | { kind: 'section'; section: 'uploads' | 'downloads' | 'private' }
  | { kind: 'series'; seriesId: number; folderName: string }
  | { kind: 'transfer'; record: TransferRecord }
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
  ) {
    let lastStates = '';
    this.subscription = engine.onDidChange((record) => {
      if (record && !MEDIA_PROTOCOLS.has(record.protocol)) return;
      // A private block upload that just finished changes the backend's list: fetch it again.
      const states = engine.list().filter((r) => r.protocol === MEDIA_PRIVATE_UPLOAD).map((r) => r.state).join();
      if (states !== lastStates) {
        lastStates = states;
        this.privateTasks = undefined;
      }
      this.changed.fire(undefined);
    });
  }

  refresh(): void {
    this.privateTasks = undefined;
    this.changed.fire(undefined);
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
          const downloads = this.records(MEDIA_DOWNLOAD).map((record): MediaNode => ({ kind: 'transfer', record }));
          return downloads.length ? downloads : [{ kind: 'message', text: vscode.l10n.t('No downloads yet'), icon: 'info', command: { title: '', command: 'datahub.media.download' } }];
        }
        return this.privateSeriesNodes();
      case 'series':
        return this.records(MEDIA_UPLOAD)
          .filter((r) => mediaUploadParams(r).seriesId === node.seriesId)
          .map((record) => ({ kind: 'transfer', record }));
      case 'privateSeries': {
        const transfers = this.records(MEDIA_PRIVATE_UPLOAD);
        return node.tasks.map((task) => ({ kind: 'privateTask', task, transfer: transfers.find((r) => mediaPrivateParams(r).taskId === task.id && !isFinished(r.state)) }));
      }
      default:
        return [];
    }
  }

  private seriesNodes(): MediaNode[] {
    const series = new Map<number, string>();
    for (const r of this.records(MEDIA_UPLOAD)) {
      const p = mediaUploadParams(r);
      if (!series.has(p.seriesId)) series.set(p.seriesId, p.folderName);
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
