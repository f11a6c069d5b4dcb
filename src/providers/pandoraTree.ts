// The Pandora view: Datasources (type, region → schema fields) and Jobs (scheduler, last run → Exports, Run History).
import * as vscode from 'vscode';
import type { PandoraClient } from '../api/pandora/client';
import { isActive } from '../api/pandora/runs';
import type { Datasource, HistoryRun, Job, JobExport, RunStatus, SchemaField } from '../api/pandora/types';
import { pandoraTreeItem } from './pandoraItems';
import { isProblemNode, problemItem, type ProblemNode, type ViewRecovery } from './viewProblems';
import { RunWatch, type FailedRun } from './pandoraRunWatch';

export type PandoraNode =
  | { kind: 'group'; group: 'datasources' | 'jobs' }
  | { kind: 'datasource'; datasource: Datasource }
  | { kind: 'field'; datasource: string; field: SchemaField }
  | { kind: 'job'; job: Job; last?: HistoryRun }
  | { kind: 'exports'; job: string }
  | { kind: 'history'; job: string; total: number }
  | { kind: 'export'; job: string; export: JobExport }
  | { kind: 'run'; job: string; run: HistoryRun }
  | { kind: 'more'; job: string }
  | { kind: 'message'; id: string; label: string; icon: string; tooltip?: string };

/** What the view shows: the nodes above, or the shared row of a backend that could not load. */
export type PandoraTreeNode = PandoraNode | ProblemNode;

export type PandoraNodeKind = PandoraNode['kind'];

export function isPandoraNode<K extends PandoraNodeKind>(value: unknown, kind: K): value is Extract<PandoraNode, { kind: K }> {
  return !!value && typeof value === 'object' && (value as { kind?: unknown }).kind === kind;
}

export interface HistoryView {
  status?: RunStatus;
  /** One run (the document's runId query; -1 = the latest), or every run. */
  runId?: number;
  size: number;
}

export class PandoraTreeProvider implements vscode.TreeDataProvider<PandoraTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PandoraTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly failed = new vscode.EventEmitter<FailedRun[]>();
  /** Runs that failed since the jobs were last listed (the view polls while a run is active). */
  readonly onDidSeeFailedRuns = this.failed.event;
  private readonly watch = new RunWatch();
  private readonly historyViews = new Map<string, HistoryView>();
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  /** The jobs of the last listing, by name (commands read them for quick picks). */
  jobs: Job[] = [];
  datasources: Datasource[] = [];

  constructor(
    private readonly client: PandoraClient,
    private readonly configured: () => Promise<boolean>,
    private readonly pageSize: () => number,
    private readonly pollSeconds: () => number,
    /** Error rows, and the refresh that brings the view back when the backend answers again. */
    private readonly recovery: ViewRecovery,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  historyView(job: string): HistoryView {
    let view = this.historyViews.get(job);
    if (!view) {
      view = { size: this.pageSize() };
      this.historyViews.set(job, view);
    }
    return view;
  }

  setHistoryFilter(job: string, status: RunStatus | undefined): void {
    const view = this.historyView(job);
    view.status = status;
    view.size = this.pageSize();
    this.refresh();
  }

  setRunFilter(job: string, runId: number | undefined): void {
    const view = this.historyView(job);
    view.runId = runId;
    view.size = this.pageSize();
    this.refresh();
  }

  showMore(job: string): void {
    this.historyView(job).size += this.pageSize();
    this.refresh();
  }

  /** While a run is active the view polls, so Running turns into Successful without a click. */
  private schedulePoll(active: boolean): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    const seconds = this.pollSeconds();
    if (active && seconds > 0) this.pollTimer = setTimeout(() => this.refresh(), seconds * 1000);
  }

  getTreeItem(node: PandoraTreeNode): vscode.TreeItem {
    if (isProblemNode(node)) return problemItem(node);
    return pandoraTreeItem(node, (job) => this.historyView(job));
  }

  async getChildren(node?: PandoraTreeNode): Promise<PandoraTreeNode[]> {
    if (node && isProblemNode(node)) return [];
    try {
      return await this.children(node);
    } catch (err) {
      const id = node ? `${this.getTreeItem(node).id ?? 'x'}/error` : 'pandora/error';
      return [this.recovery.row(id, err)];
    }
  }

  private async children(node?: PandoraNode): Promise<PandoraNode[]> {
    if (!node) {
      // Unconfigured: no children, so that the viewsWelcome text with its buttons shows.
      if (!(await this.configured())) return [];
      return [
        { kind: 'group', group: 'datasources' },
        { kind: 'group', group: 'jobs' },
      ];
    }
    switch (node.kind) {
      case 'group':
        if (node.group === 'datasources') {
          this.datasources = (await this.client.listDatasources()).sort((a, b) => a.name.localeCompare(b.name));
          if (this.datasources.length === 0) return [{ kind: 'message', id: 'pandora/ds/none', label: vscode.l10n.t('No datasources yet'), icon: 'info' }];
          return this.datasources.map((datasource) => ({ kind: 'datasource', datasource }));
        } else {
          this.jobs = (await this.client.listJobs()).sort((a, b) => a.name.localeCompare(b.name));
          if (this.jobs.length === 0) {
            this.schedulePoll(false);
            return [{ kind: 'message', id: 'pandora/job/none', label: vscode.l10n.t('No jobs yet'), icon: 'info' }];
          }
          const lasts = await Promise.all(this.jobs.map((job) => this.client.history(job.name, { runId: -1 }).then((p) => p.history[0]).catch(() => undefined)));
          this.schedulePoll(lasts.some((r) => r !== undefined && isActive(r.status)));
          const failed = this.watch.observe(this.jobs.map((job, i) => ({ job: job.name, last: lasts[i] })));
          if (failed.length > 0) this.failed.fire(failed);
          return this.jobs.map((job, i) => ({ kind: 'job', job, last: lasts[i] }));
        }
      case 'datasource':
        return node.datasource.schema.map((field) => ({ kind: 'field', datasource: node.datasource.name, field }));
      case 'job':
        return [
          { kind: 'exports', job: node.job.name },
          { kind: 'history', job: node.job.name, total: 0 },
        ];
      case 'exports': {
        const exports = await this.client.listExports(node.job);
        if (exports.length === 0) return [{ kind: 'message', id: `pandora/job/${node.job}/exports/none`, label: vscode.l10n.t('No exports'), icon: 'info' }];
        return exports.sort((a, b) => a.name.localeCompare(b.name)).map((e) => ({ kind: 'export', job: node.job, export: e }));
      }
      case 'history': {
        const view = this.historyView(node.job);
        const page = await this.client.history(node.job, { page: 1, size: view.size, sortBy: '-endTime', status: view.status, runId: view.runId });
        if (page.history.length === 0) return [{ kind: 'message', id: `pandora/job/${node.job}/history/none`, label: vscode.l10n.t('No runs'), icon: 'info' }];
        const runs: PandoraNode[] = page.history.map((run) => ({ kind: 'run', job: node.job, run }));
        if (page.total > page.history.length) runs.push({ kind: 'more', job: node.job });
        return runs;
      }
      default:
        return [];
    }
  }

  dispose(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.changed.dispose();
    this.failed.dispose();
  }
}
