// The address of a job's SQL document: datahub-pandora:/jobs/<job>.sql. A job name is one path segment
// (the API refuses names with `/`), kept as it is so the tab shows the job's own name. A new job's SQL, before the
// job exists, is datahub-pandora:/new/<id>.sql: held in memory for the job editor that opened it.
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

export function newJobSqlUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: PANDORA_SQL_SCHEME, path: `/new/${id}.sql` });
}

/** The id of a new job's SQL document, or undefined for any other address. */
export function newJobIdOf(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== PANDORA_SQL_SCHEME) return undefined;
  const m = /^\/new\/([A-Za-z0-9-]+)\.sql$/.exec(uri.path);
  return m ? m[1] : undefined;
}

export function isJobSqlDocument(doc: vscode.TextDocument): boolean {
  return jobNameOf(doc.uri) !== undefined;
}

/** Which SQL a document is: an existing job's, or a new job's (the id of its in-memory document). */
export type SqlDocumentKey = { job: string } | { newJob: string };

export function sqlDocumentKey(uri: vscode.Uri): SqlDocumentKey | undefined {
  const job = jobNameOf(uri);
  if (job !== undefined) return { job };
  const newJob = newJobIdOf(uri);
  return newJob !== undefined ? { newJob } : undefined;
}

/** A key for maps: the job's name, or `/new/<id>` (a job name has no `/`, so the two never meet). */
export function keyText(key: SqlDocumentKey): string {
  return 'job' in key ? key.job : `/new/${key.newJob}`;
}
