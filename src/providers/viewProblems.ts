// The one error row every backend view shows (endpoint not set, cannot reach, credentials refused, failed) and the
// recovery that refreshes a view while it shows one: on a timer, when the view becomes visible, when the window gets focus.
import * as vscode from 'vscode';
import { classifyProblem, problemLabel, type ProblemKind } from '../platform/backendProblem';
import { describeError } from '../platform/commands';
import type { Backend } from '../platform/settings';

/** A row of a view that could not load; plain data, so that a row's inline buttons get it as their argument. */
export interface ProblemNode {
  kind: 'problem';
  id: string;
  backend: Backend;
  problem: ProblemKind;
  label: string;
  tooltip: string;
  /** The view's own refresh command (Retry runs it). */
  retryCommand: string;
}

export function isProblemNode(value: unknown): value is ProblemNode {
  return !!value && typeof value === 'object' && (value as ProblemNode).kind === 'problem' && typeof (value as ProblemNode).backend === 'string';
}

/** What a click on the row does: the fix for what is missing, else Retry. */
export function problemCommand(node: ProblemNode): vscode.Command {
  switch (node.problem) {
    case 'noEndpoint':
      return { command: 'datahub.openEndpointSettings', title: vscode.l10n.t('Open Settings'), arguments: [node.backend] };
    case 'refused':
      return { command: 'datahub.setCredentials', title: vscode.l10n.t('Set Credentials…'), arguments: [node.backend] };
    default:
      return { command: 'datahub.retryView', title: vscode.l10n.t('Retry'), arguments: [node] };
  }
}

/** The problem row's icon (also on a row that shows the problem of one item, such as a media task). */
export function problemIcon(node: ProblemNode): vscode.ThemeIcon {
  return new vscode.ThemeIcon(node.problem === 'noEndpoint' ? 'gear' : node.problem === 'refused' ? 'key' : 'error');
}

export function problemItem(node: ProblemNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.iconPath = problemIcon(node);
  item.tooltip = node.tooltip;
  // The inline buttons (package.json menus) read the kind: `datahub.problem:unreachable`.
  item.contextValue = `datahub.problem:${node.problem}`;
  item.command = problemCommand(node);
  return item;
}

/**
 * One per view: makes its problem rows and, while the last render showed one, refreshes the view every
 * `retrySeconds` and whenever it becomes visible or the window gets focus, so that it recovers by itself.
 */
export class ViewRecovery implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failing = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly backend: Backend,
    private readonly baseUrl: () => string,
    private readonly retryCommand: string,
    private readonly refresh: () => void,
    private readonly retrySeconds: () => number,
  ) {
    this.subscriptions.push(
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) this.recover();
      }),
    );
  }

  /** Refreshes also when `view` becomes visible again. */
  watch(view: vscode.TreeView<unknown>): void {
    this.subscriptions.push(
      view.onDidChangeVisibility((e) => {
        if (e.visible) this.recover();
      }),
    );
  }

  /** Whether the last render showed a problem row. */
  get inError(): boolean {
    return this.failing;
  }

  /** The row for `err` (its `id` unique in the view); starts the recovery timer. */
  row(id: string, err: unknown): ProblemNode {
    const problem = classifyProblem(err);
    // A refusal keeps the server's own words ("bad token"); anything else unknown is described whole.
    const message = problem === 'refused' && err instanceof Error ? err.message : describeError(err);
    const label = problemLabel(this.backend, problem, this.baseUrl(), message);
    return this.problemRow(id, problem, label, describeError(err));
  }

  /** The row for a missing endpoint, before any request is tried. */
  missingEndpoint(id: string): ProblemNode {
    const label = problemLabel(this.backend, 'noEndpoint', '');
    return this.problemRow(id, 'noEndpoint', label, vscode.l10n.t('Set datahub.endpoints.{0} in your User settings, or start the local emulator.', this.backend));
  }

  private problemRow(id: string, problem: ProblemKind, label: string, detail: string): ProblemNode {
    // A missing endpoint does not come back by itself: the settings change refreshes the view.
    if (problem !== 'noEndpoint') this.schedule();
    const seconds = this.retrySeconds();
    const retrying = problem === 'noEndpoint' || seconds <= 0 ? '' : `\n${vscode.l10n.t('Retrying every {0} s.', seconds)}`;
    return { kind: 'problem', id, backend: this.backend, problem, label, tooltip: `${detail}${retrying}`, retryCommand: this.retryCommand };
  }

  private schedule(): void {
    this.failing = true;
    const seconds = this.retrySeconds();
    if (this.timer || seconds <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.recover();
    }, seconds * 1000);
  }

  /** Loads the view again if it showed a problem; a render that shows one again schedules the next try. */
  private recover(): void {
    if (!this.failing) return;
    this.failing = false;
    this.refresh();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const s of this.subscriptions) s.dispose();
  }
}

/** A command's backend argument: a view's welcome passes its backend's name, a row's inline button the row. */
export function backendArg(given: unknown): unknown {
  return isProblemNode(given) ? given.backend : given;
}

/** Retry on a problem row: runs the view's own refresh command (only ever one of ours). */
export async function retryView(node: unknown): Promise<void> {
  if (!isProblemNode(node) || !/^datahub\.[\w.]+\.refresh$/.test(node.retryCommand)) return;
  await vscode.commands.executeCommand(node.retryCommand);
}
