// Problems of a job's SQL: the backend's schema inference (/dag/schemaInfer) on save and on demand — its error at
// the position it names, else on the first line — and, as you type, $(…) variables the job does not know.
// Keeps the last inferred output schema of each job for the hover and the CodeLens.
import * as vscode from 'vscode';
import { ApiError } from '../../api/errors';
import type { PandoraClient } from '../../api/pandora/client';
import type { SchemaField } from '../../api/pandora/types';
import { describeError } from '../../platform/commands';
import type { JobSources, JobSourcesCache } from './jobSources';
import { errorPosition, unknownVariables } from './sqlText';
import { keyText, sqlDocumentKey } from './uri';

export type InferOutcome = { ok: true; schema: SchemaField[] } | { ok: false; message: string };

export class PandoraSqlDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('pandora-sql');
  private readonly inferProblems = new Map<string, vscode.Diagnostic[]>();
  private readonly variableProblems = new Map<string, vscode.Diagnostic[]>();
  private readonly outputs = new Map<string, SchemaField[]>();
  private readonly inferred = new vscode.EventEmitter<{ job: string; outcome: InferOutcome }>();
  /** Fires after each inference (the CodeLens shows its outcome); `job` is the document's keyText. */
  readonly onDidInfer = this.inferred.event;

  constructor(
    private readonly client: PandoraClient,
    private readonly sources: JobSourcesCache,
  ) {}

  /** The output schema the last inference gave for a document (its keyText), else the one the backend keeps with the job. */
  outputOf(key: string, sources?: JobSources): SchemaField[] | undefined {
    return this.outputs.get(key) ?? sources?.job.schema;
  }

  /** Checks the $(…) variables of `doc` against the built-ins and the job's params. */
  async checkVariables(doc: vscode.TextDocument): Promise<void> {
    const key = sqlDocumentKey(doc.uri);
    if (key === undefined) return;
    let params: string[];
    let job: string;
    try {
      const sources = await this.sources.of(key);
      params = sources.params.map((p) => p.name);
      job = 'job' in key ? key.job : sources.job.name || vscode.l10n.t('(new job)');
    } catch {
      return; // The job could not be read: inference (or the save) says why.
    }
    const problems = unknownVariables(doc.getText(), params).map((v) => {
      const range = new vscode.Range(doc.positionAt(v.offset), doc.positionAt(v.offset + v.length));
      const d = new vscode.Diagnostic(range, vscode.l10n.t('$({0}) is neither a built-in variable ($(year) $(mon) $(day) $(hour) $(min) $(sec)) nor a param of job {1}.', v.name, job), vscode.DiagnosticSeverity.Warning);
      d.source = 'pandora';
      return d;
    });
    this.variableProblems.set(doc.uri.toString(), problems);
    this.publish(doc.uri);
  }

  /** Runs /dag/schemaInfer on the document's text; the outcome becomes diagnostics and the job's output schema. */
  async infer(doc: vscode.TextDocument): Promise<InferOutcome> {
    const key = sqlDocumentKey(doc.uri);
    if (key === undefined) return { ok: false, message: vscode.l10n.t('{0} is not the SQL of a Pandora job.', doc.uri.toString()) };
    const job = keyText(key);
    let outcome: InferOutcome;
    try {
      const sources = await this.sources.of(key);
      const schema = await this.client.inferSchema(await this.sources.inferRequest(sources, doc.getText()));
      this.outputs.set(job, schema);
      this.inferProblems.set(doc.uri.toString(), []);
      outcome = { ok: true, schema };
    } catch (err) {
      const message = err instanceof ApiError ? err.message : describeError(err);
      const d = new vscode.Diagnostic(rangeOf(doc, message), vscode.l10n.t('Schema inference: {0}', message), vscode.DiagnosticSeverity.Error);
      d.source = 'pandora';
      if (err instanceof ApiError && err.code !== undefined) d.code = String(err.code);
      this.inferProblems.set(doc.uri.toString(), [d]);
      this.outputs.delete(job);
      outcome = { ok: false, message };
    }
    this.publish(doc.uri);
    this.inferred.fire({ job, outcome });
    return outcome;
  }

  forget(uri: vscode.Uri): void {
    this.inferProblems.delete(uri.toString());
    this.variableProblems.delete(uri.toString());
    this.collection.delete(uri);
  }

  private publish(uri: vscode.Uri): void {
    this.collection.set(uri, [...(this.inferProblems.get(uri.toString()) ?? []), ...(this.variableProblems.get(uri.toString()) ?? [])]);
  }

  dispose(): void {
    this.collection.dispose();
    this.inferred.dispose();
  }
}

/** The word at the position the message names (clamped into the document), else the whole first line. */
function rangeOf(doc: vscode.TextDocument, message: string): vscode.Range {
  const named = errorPosition(message);
  if (!named || named.line >= doc.lineCount) return doc.lineAt(0).range;
  const line = doc.lineAt(named.line);
  const start = new vscode.Position(named.line, Math.min(named.character, line.text.length));
  return doc.getWordRangeAtPosition(start) ?? new vscode.Range(start, line.range.end);
}
