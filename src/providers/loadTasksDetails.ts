// Read-only JSON documents (`datahub-ingest:/task/<id>.json`) with a task, its file counts, failures and its connector (secret masked).
import * as vscode from 'vscode';
import type { IngestClient } from '../api/ingest/client';
import { FileStatus } from '../api/ingest/types';
import { SECRET_MASK } from './connectorsPresentation';

export const DETAILS_SCHEME = 'datahub-ingest';

export function taskDetailsUri(taskId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/task/${taskId}.json` });
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
    const match = /^\/task\/(\d{1,20})\.json$/.exec(uri.path);
    if (!match) return JSON.stringify({ error: `not a task document: ${uri.path}` }, null, 2);
    const id = match[1];
    const [task, files, failed, connectors] = await Promise.all([
      this.client.getTask(id),
      this.client.listTaskFiles(id, { page: 1, pageSize: 1 }),
      this.client.allTaskFiles(id, [FileStatus.Failed]),
      this.client.listConnectors().catch(() => undefined),
    ]);
    const c = connectors?.connectors.find((x) => x.id === task.source_connector_id);
    const connector = c && {
      id: c.id,
      name: c.name,
      source_type: c.sourceType,
      endpoint: c.endpoint,
      bucket_name: c.bucketName,
      access_key_id: c.accessKeyId,
      // The secret never leaves the client; the mask only says whether one is stored.
      access_key_secret: c.secretSet ? SECRET_MASK : '',
      ...(c.region !== undefined ? { region: c.region, path_style: c.pathStyle } : {}),
    };
    const details = {
      task,
      files: {
        total: files.total,
        total_success: files.total_success,
        total_failed: files.total_failed,
        failed: failed.map((f) => ({ id: f.id, name: f.name, path: f.path, reason: f.reason })),
      },
      connector: connector ?? null,
    };
    return JSON.stringify(details, null, 2) + '\n';
  }
}
