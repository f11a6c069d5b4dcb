// The address of a job's SQL document: datahub-pandora:/jobs/<job>.sql. A job name is one path segment
// (the API refuses names with `/`), kept as it is so the tab shows the job's own name.
import * as vscode from 'vscode';

export const PANDORA_SQL_SCHEME = 'datahub-pandora';
export const PANDORA_SQL_LANGUAGE = 'pandora-sql';

export function jobSqlUri(jobName: string): vscode.Uri {
  return vscode.Uri.from({ scheme: PANDORA_SQL_SCHEME, path: `/jobs/${jobName}.sql` });
}

/** The job a document belongs to, or undefined for any other address (including a folder). */
export function jobNameOf(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== PANDORA_SQL_SCHEME) return undefined;
  const m = /^\/jobs\/([^/]+)\.sql$/.exec(uri.path);
  return m ? m[1] : undefined;
}

export function isJobSqlDocument(doc: vscode.TextDocument): boolean {
  return jobNameOf(doc.uri) !== undefined;
}
