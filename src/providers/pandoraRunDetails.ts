// A run's details as a read-only Markdown document (`datahub-pandora-run:/<job> run <id>.md`), shown in VS Code's
// Markdown preview: status, batch, start and end as dates, duration, message and parameters, all text escaped.
import * as vscode from 'vscode';
import type { PandoraClient } from '../api/pandora/client';
import type { HistoryRun, Job, RunParam } from '../api/pandora/types';
import { escapeMarkdownText, markdownCodeSpan } from './markdownText';
import { formatDuration, formatTime, runStatusLabel } from './pandoraPresentation';

export const RUN_DETAILS_SCHEME = 'datahub-pandora-run';

export function runDetailsUri(job: string, runId: number): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_DETAILS_SCHEME, path: `/${job} run ${runId}.md` });
}

/** The job and run a details URI names. */
export function parseRunDetailsUri(uri: vscode.Uri): { job: string; runId: number } | undefined {
  const match = /^\/(.+) run (\d{1,15})\.md$/.exec(uri.path);
  return match ? { job: match[1], runId: Number(match[2]) } : undefined;
}

/** The Markdown of one run: a heading and a list of "label: value" lines (a screen reader reads a list in order). */
export function runDetailsMarkdown(job: string, run: HistoryRun, declared: Job['params'], given: readonly RunParam[] | undefined): string {
  const line = (label: string, value: string | undefined): string | undefined => (value ? `- **${escapeMarkdownText(label)}:** ${escapeMarkdownText(value)}` : undefined);
  const lines = [
    `# ${escapeMarkdownText(vscode.l10n.t('Run {0} of {1}', run.runId, job))}`,
    '',
    line(vscode.l10n.t('Status'), runStatusLabel(run.status)),
    line(vscode.l10n.t('Batch time'), formatTime(run.batchTime)),
    line(vscode.l10n.t('Started'), formatTime(run.startTime)),
    line(vscode.l10n.t('Ended'), formatTime(run.endTime)),
    line(vscode.l10n.t('Duration'), formatDuration(run.duration)),
    '',
    `## ${escapeMarkdownText(vscode.l10n.t('Message'))}`,
    '',
    run.message ? escapeMarkdownText(run.message) : escapeMarkdownText(vscode.l10n.t('No message.')),
    '',
    `## ${escapeMarkdownText(vscode.l10n.t('Parameters'))}`,
    '',
  ];
  const params = declared ?? [];
  if (given) {
    lines.push(escapeMarkdownText(vscode.l10n.t('The values this run was started with from this window:')), '');
    for (const p of given) lines.push(`- ${markdownCodeSpan(p.name)}: ${escapeMarkdownText(p.value) || escapeMarkdownText(vscode.l10n.t('(empty)'))}`);
    if (given.length === 0) lines.push(`- ${escapeMarkdownText(vscode.l10n.t('none set; every parameter took its default'))}`);
  } else if (params.length > 0) {
    lines.push(escapeMarkdownText(vscode.l10n.t("The job's parameters and their defaults (values given at start are not reported by the backend):")), '');
    for (const p of params) lines.push(`- ${markdownCodeSpan(p.name)}: ${escapeMarkdownText(p.default) || escapeMarkdownText(vscode.l10n.t('(empty)'))}`);
  } else {
    lines.push(escapeMarkdownText(vscode.l10n.t('The job declares no parameters.')));
  }
  return lines.filter((l): l is string => l !== undefined).join('\n') + '\n';
}

export class PandoraRunDetailsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The params of runs started from this window, by `job run id` (the history does not report them). */
  private readonly started = new Map<string, RunParam[]>();

  constructor(private readonly client: PandoraClient) {}

  remember(job: string, runId: number, params: readonly RunParam[]): void {
    this.started.set(`${job} ${runId}`, [...params]);
  }

  /** Makes an open details document read the backend again. */
  reload(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const named = parseRunDetailsUri(uri);
    if (!named) return escapeMarkdownText(vscode.l10n.t('Not a Pandora run: {0}', uri.path)) + '\n';
    const [page, job] = await Promise.all([this.client.history(named.job, { runId: named.runId }), this.client.getJob(named.job).catch(() => undefined)]);
    const run = page.history.find((r) => r.runId === named.runId);
    if (!run) return escapeMarkdownText(vscode.l10n.t('Job {0} has no run {1}.', named.job, named.runId)) + '\n';
    return runDetailsMarkdown(named.job, run, job?.params, this.started.get(`${named.job} ${named.runId}`));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Opens the details of `run` of `job` in the Markdown preview (read the backend again if it is open). */
export async function showRunDetails(details: PandoraRunDetailsProvider, job: string, runId: number): Promise<vscode.Uri> {
  const uri = runDetailsUri(job, runId);
  details.reload(uri);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
  return uri;
}
