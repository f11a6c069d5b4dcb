// The Load Tasks view: tasks (status, interval, counts) → their files, page by page with a "Load more…" node.
import * as vscode from 'vscode';
import type { IngestClient } from '../api/ingest/client';
import { TaskStatus, type LoadTask, type TaskFile } from '../api/ingest/types';
import { formatBytes } from '../transfer/format';
import { mapPool } from '../transfer/pool';
import {
  fileStatusIcon,
  fileStatusKey,
  fileStatusLabel,
  formatTime,
  intervalLabel,
  taskStatusIcon,
  taskStatusKey,
  taskStatusLabel,
} from './connectorsPresentation';
import type { MessageNode } from './connectorsTree';
import { loadTaskLabels } from './loadTaskLabels';
import { textTooltip } from './tooltips';
import { isProblemNode, problemItem, type ProblemNode, type ViewRecovery } from './viewProblems';

export interface TaskCounts {
  total: number;
  success: number;
  failed: number;
}

export interface TaskNode {
  kind: 'task';
  task: LoadTask;
  counts?: TaskCounts;
  /** Distinct among the listed tasks (several may load into one volume). */
  label?: string;
}

export interface TaskFileNode {
  kind: 'taskFile';
  taskId: string;
  file: TaskFile;
}

export interface LoadMoreNode {
  kind: 'loadMore';
  taskId: string;
  loaded: number;
  total: number;
}

export type LoadTaskTreeNode = TaskNode | TaskFileNode | LoadMoreNode | MessageNode | ProblemNode;

export interface LoadTaskFilter {
  status?: number[];
  intervalTypes?: number[];
}

export function isTaskNode(value: unknown): value is TaskNode {
  return !!value && typeof value === 'object' && (value as TaskNode).kind === 'task' && typeof (value as TaskNode).task?.id === 'string';
}

export function isTaskFileNode(value: unknown): value is TaskFileNode {
  return !!value && typeof value === 'object' && (value as TaskFileNode).kind === 'taskFile' && typeof (value as TaskFileNode).file?.id === 'string';
}

interface FilePages {
  files: TaskFile[];
  total: number;
  pages: number;
}

/** The task is doing something a user waits for (the view polls while one is). */
export function isActive(task: LoadTask): boolean {
  return task.status === TaskStatus.Running || task.status === TaskStatus.Pausing;
}

export class LoadTasksTreeProvider implements vscode.TreeDataProvider<LoadTaskTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LoadTaskTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loaded = new vscode.EventEmitter<readonly LoadTask[]>();
  /** Fires after each load of the task list (the poller listens). */
  readonly onDidLoad = this.loaded.event;
  private filterValue: LoadTaskFilter = {};
  private tasks: LoadTask[] = [];
  private readonly nodes = new Map<string, TaskNode>();
  /** How many pages of files each task shows; kept across refreshes so that "Load more" survives polling. */
  private readonly pagesShown = new Map<string, number>();
  private readonly fileCache = new Map<string, FilePages>();

  constructor(
    private readonly client: IngestClient,
    private readonly credentialsReady: () => Promise<boolean>,
    private readonly pageSize: () => number,
    /** Error rows, and the refresh that brings the view back when the backend answers again. */
    private readonly recovery: ViewRecovery,
  ) {}

  dispose(): void {
    this.changed.dispose();
    this.loaded.dispose();
  }

  refresh(): void {
    this.fileCache.clear();
    this.changed.fire(undefined);
  }

  get filter(): LoadTaskFilter {
    return this.filterValue;
  }

  setFilter(filter: LoadTaskFilter): void {
    this.filterValue = { status: filter.status?.length ? [...filter.status] : undefined, intervalTypes: filter.intervalTypes?.length ? [...filter.intervalTypes] : undefined };
    this.refresh();
  }

  get loadedTasks(): readonly LoadTask[] {
    return this.tasks;
  }

  hasActiveTasks(): boolean {
    return this.tasks.some(isActive);
  }

  /** Shows one more page of a task's files. */
  async loadMore(taskId: string): Promise<void> {
    this.pagesShown.set(taskId, (this.pagesShown.get(taskId) ?? 1) + 1);
    this.fileCache.delete(taskId);
    const node = this.nodes.get(taskId);
    this.changed.fire(node);
  }

  getTreeItem(node: LoadTaskTreeNode): vscode.TreeItem {
    if (isProblemNode(node)) return problemItem(node);
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.label);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip;
        item.contextValue = 'message';
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more… ({0} of {1})', node.loaded, node.total));
        item.id = `task:${node.taskId}:more`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = 'loadMore';
        item.command = { command: 'datahub.loadTasks.loadMore', title: vscode.l10n.t('Load more…'), arguments: [node.taskId] };
        return item;
      }
      case 'task':
        return taskItem(node);
      case 'taskFile':
        return taskFileItem(node);
    }
  }

  async getChildren(node?: LoadTaskTreeNode): Promise<LoadTaskTreeNode[]> {
    if (!node) return this.roots();
    if (node.kind !== 'task') return [];
    const taskId = node.task.id;
    try {
      const pages = await this.filePages(taskId);
      const children: LoadTaskTreeNode[] = pages.files.map((file) => ({ kind: 'taskFile', taskId, file }));
      if (pages.files.length < pages.total) children.push({ kind: 'loadMore', taskId, loaded: pages.files.length, total: pages.total });
      if (children.length === 0) children.push({ kind: 'message', id: `task:${taskId}:empty`, label: vscode.l10n.t('No files'), icon: 'info' });
      return children;
    } catch (err) {
      return [this.recovery.row(`task:${taskId}:error`, err)];
    }
  }

  private async filePages(taskId: string): Promise<FilePages> {
    const cached = this.fileCache.get(taskId);
    if (cached) return cached;
    const pageSize = this.pageSize();
    const wanted = this.pagesShown.get(taskId) ?? 1;
    const files: TaskFile[] = [];
    let total = 0;
    for (let page = 1; page <= wanted; page++) {
      const result = await this.client.listTaskFiles(taskId, { page, pageSize });
      files.push(...result.files);
      total = result.total;
      // The server may cap pages below pageSize: only `total` (or an empty page) says the end is reached.
      if (result.files.length === 0 || files.length >= total) break;
    }
    const pages = { files, total, pages: wanted };
    this.fileCache.set(taskId, pages);
    return pages;
  }

  private async roots(): Promise<LoadTaskTreeNode[]> {
    // A new task list means new file states too: expanded tasks read their files again.
    this.fileCache.clear();
    if (!(await this.credentialsReady())) {
      this.setTasks([]);
      return [];
    }
    try {
      const tasks = await this.client.listAllTasks({ status: this.filterValue.status, loadIntervalTypes: this.filterValue.intervalTypes, orderBy: 'created_at', isDesc: true }, 500);
      const counts = await mapPool(tasks, 4, async (task) => {
        try {
          const page = await this.client.listTaskFiles(task.id, { page: 1, pageSize: 1 });
          return { total: page.total, success: page.total_success, failed: page.total_failed };
        } catch {
          return undefined;
        }
      });
      this.nodes.clear();
      const labels = loadTaskLabels(tasks);
      const nodes = tasks.map((task, i): TaskNode => ({ kind: 'task', task, counts: counts[i], label: labels.get(task.id) }));
      for (const n of nodes) this.nodes.set(n.task.id, n);
      this.setTasks(tasks);
      if (nodes.length === 0 && (this.filterValue.status || this.filterValue.intervalTypes)) {
        return [{ kind: 'message', id: 'tasks:filtered-empty', label: vscode.l10n.t('No load task matches the filter'), icon: 'filter' }];
      }
      return nodes;
    } catch (err) {
      this.setTasks([]);
      return [this.recovery.row('tasks:error', err)];
    }
  }

  private setTasks(tasks: LoadTask[]): void {
    this.tasks = tasks;
    this.loaded.fire(tasks);
  }
}

export function taskContextValue(task: LoadTask, counts: TaskCounts | undefined): string {
  return `loadTask:${taskStatusKey(task.status)}${counts && counts.failed > 0 ? ':hasFailed' : ''}`;
}

function taskItem(node: TaskNode): vscode.TreeItem {
  const { task, counts } = node;
  const label = node.label ?? (task.volume_name || task.name || task.id);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `task:${task.id}`;
  const mode = task.source_config.common_file_task_config.load_mode_config;
  const parts = [taskStatusLabel(task.status), intervalLabel(mode.load_interval_type, mode.interval)];
  if (counts) parts.push(`✓ ${counts.success}`, `✗ ${counts.failed}`);
  item.description = parts.join(' · ');
  item.iconPath = taskStatusIcon(task.status, counts?.failed ?? 0);
  item.contextValue = taskContextValue(task, counts);
  const rows: [string, string][] = [
    [vscode.l10n.t('Task ID'), task.id],
    [vscode.l10n.t('Status'), taskStatusLabel(task.status)],
    [vscode.l10n.t('Interval'), intervalLabel(mode.load_interval_type, mode.interval)],
    [vscode.l10n.t('Volume'), `${task.volume_name} (${task.volume_id})`],
    [vscode.l10n.t('Connector'), String(task.source_connector_id)],
    [vscode.l10n.t('Files'), counts ? vscode.l10n.t('{0} total, {1} completed, {2} failed', counts.total, counts.success, counts.failed) : '—'],
    [vscode.l10n.t('Started'), formatTime(task.start_at)],
    [vscode.l10n.t('Ended'), formatTime(task.end_at)],
    [vscode.l10n.t('Created by'), task.creator],
  ];
  item.tooltip = textTooltip(label, rows);
  return item;
}

function taskFileItem(node: TaskFileNode): vscode.TreeItem {
  const f = node.file;
  const item = new vscode.TreeItem(f.name);
  item.id = `task:${node.taskId}:file:${f.id}`;
  item.iconPath = fileStatusIcon(f.status);
  item.description = `${formatBytes(f.size)} · ${fileStatusLabel(f.status)}`;
  item.contextValue = `loadTaskFile:${fileStatusKey(f.status)}`;
  const rows: [string, string][] = [
    [vscode.l10n.t('Status'), fileStatusLabel(f.status)],
    [vscode.l10n.t('Path'), f.path],
    [vscode.l10n.t('Size'), `${formatBytes(f.size)} (${f.size})`],
    [vscode.l10n.t('File ID'), f.id],
    [vscode.l10n.t('Started'), formatTime(f.start_time)],
    [vscode.l10n.t('Ended'), formatTime(f.end_time)],
  ];
  if (f.reason) rows.unshift([vscode.l10n.t('Reason'), f.reason]);
  item.tooltip = textTooltip(f.name, rows);
  return item;
}
