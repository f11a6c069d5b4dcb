// A load task's details as a read-only Markdown document (`datahub-ingest:/task/<id>/<label>.md`), shown in VS Code's
// Markdown preview: states as words, times as dates, the connector by name (its secret never shown), the failures.
import * as vscode from 'vscode';
import type { IngestClient } from '../api/ingest/client';
import { FileStatus, type Connector, type LoadTask, type TaskFile } from '../api/ingest/types';
import { formatTime, intervalLabel, sourceTypeLabel, taskStatusLabel } from './connectorsPresentation';
import { escapeMarkdownText, markdownCodeSpan } from './markdownText';

export const DETAILS_SCHEME = 'datahub-ingest';

/** The document of task `taskId`, named by the task's label (what its row shows), not by its id. */
export function taskDetailsUri(taskId: string, label: string): vscode.Uri {
  const name = label.replace(/[/\\]/g, '_').slice(0, 120) || taskId;
  return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/task/${taskId}/${name}.md` });
}

interface Counts {
  total: number;
  total_success: number;
  total_failed: number;
}

const line = (label: string, value: string | undefined): string | undefined => (value ? `- **${escapeMarkdownText(label)}:** ${escapeMarkdownText(value)}` : undefined);

/** The Markdown of one task: a heading, "label: value" lines, the files it loads, its failures and its connector. */
export function taskDetailsMarkdown(task: LoadTask, label: string, counts: Counts, failed: readonly TaskFile[], connector: Connector | undefined): string {
  const mode = task.source_config.common_file_task_config.load_mode_config;
  const lines: (string | undefined)[] = [
    `# ${escapeMarkdownText(vscode.l10n.t('Load task {0}', label))}`,
    '',
    line(vscode.l10n.t('Status'), taskStatusLabel(task.status)),
    line(vscode.l10n.t('Interval'), intervalLabel(mode.load_interval_type, mode.interval)),
    line(vscode.l10n.t('Files'), vscode.l10n.t('{0} total, {1} completed, {2} failed', counts.total, counts.total_success, counts.total_failed)),
    line(vscode.l10n.t('Volume'), `${task.volume_name} (${task.volume_id})`),
    line(vscode.l10n.t('Connector'), connector ? `${connector.name} (${sourceTypeLabel(connector.sourceType)} · ${connector.bucketName})` : vscode.l10n.t('connector {0} (not found)', task.source_connector_id)),
    line(vscode.l10n.t('Created'), formatTime(task.created_at)),
    line(vscode.l10n.t('Started'), formatTime(task.start_at)),
    line(vscode.l10n.t('Ended'), formatTime(task.end_at)),
    line(vscode.l10n.t('Created by'), task.creator),
    `- **${escapeMarkdownText(vscode.l10n.t('Task ID'))}:** ${markdownCodeSpan(task.id)}`,
    '',
    `## ${escapeMarkdownText(vscode.l10n.t('Files to load'))}`,
    '',
    ...task.source_config.common_file_task_config.uris.map((uri) => `- ${markdownCodeSpan(uri)}`),
    '',
    `## ${escapeMarkdownText(vscode.l10n.t('Failed files'))}`,
    '',
    ...(failed.length === 0 ? [escapeMarkdownText(vscode.l10n.t('None.'))] : failed.map((f) => `- ${markdownCodeSpan(f.path || f.name)}: ${escapeMarkdownText(f.reason || vscode.l10n.t('no reason given'))}`)),
  ];
  if (connector) {
    lines.push(
      '',
      `## ${escapeMarkdownText(vscode.l10n.t('Connector'))}`,
      '',
      line(vscode.l10n.t('Name'), connector.name),
      line(vscode.l10n.t('Type'), sourceTypeLabel(connector.sourceType)),
      line(vscode.l10n.t('Endpoint'), connector.endpoint),
      line(vscode.l10n.t('Bucket'), connector.bucketName),
      line(vscode.l10n.t('Region'), connector.region),
      line(vscode.l10n.t('AccessKey ID'), connector.accessKeyId),
      // The secret never leaves the client: only whether one is stored.
      line(vscode.l10n.t('AccessKey secret'), connector.secretSet ? vscode.l10n.t('stored (not shown)') : vscode.l10n.t('not set')),
    );
  }
  return lines.filter((l): l is string => l !== undefined).join('\n') + '\n';
}

export class LoadTaskDetailsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: IngestClient) {}

  dispose(): void {
    this.changed.dispose();
  }

  /** Makes an open details document read the backend again. */
  reload(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const match = /^\/task\/(\d{1,20})\/(.+)\.md$/.exec(uri.path);
    if (!match) return escapeMarkdownText(vscode.l10n.t('Not a load task: {0}', uri.path)) + '\n';
    const [, id, label] = match;
    const [task, files, failed, connectors] = await Promise.all([
      this.client.getTask(id),
      this.client.listTaskFiles(id, { page: 1, pageSize: 1 }),
      this.client.allTaskFiles(id, [FileStatus.Failed]),
      this.client.listConnectors().catch(() => undefined),
    ]);
    const connector = connectors?.connectors.find((x) => x.id === task.source_connector_id);
    return taskDetailsMarkdown(task, label, files, failed, connector);
  }
}
