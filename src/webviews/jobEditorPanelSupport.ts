// What the Pandora panel controllers (job editor and export editor) share: services, page texts, failures as field errors.
import * as vscode from 'vscode';
import { ApiError, ValidationError } from '../api/errors';
import type { PandoraClient } from '../api/pandora/client';
import type { NewJobDocuments } from '../languages/pandoraSql/newJobs';
import { issuesByField, type Issue } from '../api/pandora/validation';
import { describeError } from '../platform/commands';
import type { ExportEditorPanel } from './exportEditorPanel';
import type { JobEditorPanel } from './jobEditorPanel';
import type { PanelServices } from './panel';
import type { PanelRegistry } from './registry';

export interface PandoraPanelDeps extends PanelServices {
  client: PandoraClient;
  /** The open job editors and export editors (created by the pandora area). */
  jobEditors: PanelRegistry<JobEditorPanel>;
  exportEditors: PanelRegistry<ExportEditorPanel>;
  /** A new job's SQL for "Edit in Editor Tab" (datahub-pandora:/new/<id>.sql, in memory). */
  newJobSql: NewJobDocuments;
  /** The appId sent to /dag/schemaInfer (the AccessKey; never the secret). */
  appId(): Promise<string>;
  refreshTree(): void;
}

export function translateAll(texts: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const text of texts) out[text] = vscode.l10n.t(text);
  return out;
}

export const translateTemplate = (template: string): string => vscode.l10n.t(template);

export function fieldErrors(issues: readonly Issue[]): Record<string, string> {
  return issuesByField(issues, translateTemplate);
}

/** A failure as field errors: a ValidationError names its field, anything else goes to the form banner. */
export function errorsOf(err: unknown): Record<string, string> {
  if (err instanceof ValidationError) return { [err.field]: err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message };
  if (err instanceof ApiError) return { _form: err.describe() };
  return { _form: describeError(err) };
}
