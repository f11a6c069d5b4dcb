// How Pandora things look in the tree: run status icons and labels, scheduler text, tooltips (no vscode state).
import * as vscode from 'vscode';
import type { HistoryRun, Job, RunStatus } from '../api/pandora/types';
import { describeCron } from './cronText';
import { stateWord, type StateWord } from './stateWords';
import { textTooltip } from './tooltips';

const STATUS_ICONS: Record<RunStatus, [string, string | undefined]> = {
  Ready: ['circle-large-outline', undefined],
  Running: ['sync~spin', 'charts.blue'],
  Successful: ['pass', 'testing.iconPassed'],
  Failed: ['error', 'testing.iconFailed'],
  Canceled: ['circle-slash', 'disabledForeground'],
  Restarting: ['debug-restart', 'charts.yellow'],
  Cancelling: ['loading~spin', 'charts.yellow'],
};

export function runStatusIcon(status: RunStatus | undefined): vscode.ThemeIcon {
  if (!status) return new vscode.ThemeIcon('circle-large-outline');
  const [id, color] = STATUS_ICONS[status] ?? ['question', undefined];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

const STATUS_WORDS: Record<RunStatus, StateWord> = {
  Ready: 'ready',
  Running: 'running',
  Successful: 'completed',
  Failed: 'failed',
  Canceled: 'cancelled',
  Restarting: 'restarting',
  Cancelling: 'cancelling',
};

/** The run status in the views' one vocabulary (Successful reads "Completed", as everywhere else). */
export function runStatusLabel(status: RunStatus): string {
  const word = STATUS_WORDS[status];
  return word ? stateWord(word) : String(status);
}

export function schedulerText(job: Pick<Job, 'scheduler' | 'srcs'>): string {
  const s = job.scheduler;
  if (s.type === 'crontab') {
    const expression = s.spec?.crontab ?? '';
    const words = describeCron(expression, vscode.l10n);
    return words ? vscode.l10n.t('crontab {0} ({1})', expression, words) : vscode.l10n.t('crontab {0}', expression);
  }
  if (s.type === 'loop') return vscode.l10n.t('every {0}', s.spec?.loop ?? '');
  if (s.type === 'depend') return vscode.l10n.t('after {0}', job.srcs.find((src) => src.type === 'Job')?.name ?? '?');
  return vscode.l10n.t('manual');
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m ${seconds % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function runTooltip(jobName: string, run: HistoryRun): vscode.MarkdownString {
  const rows: [string, string][] = [
    [vscode.l10n.t('Batch time'), formatTime(run.batchTime)],
    [vscode.l10n.t('Started'), formatTime(run.startTime)],
    [vscode.l10n.t('Ended'), formatTime(run.endTime)],
    [vscode.l10n.t('Duration'), formatDuration(run.duration)],
    [vscode.l10n.t('Message'), run.message ?? ''],
  ];
  return textTooltip(`${vscode.l10n.t('Run {0} of {1}', run.runId, jobName)} — ${runStatusLabel(run.status)}`, rows);
}
