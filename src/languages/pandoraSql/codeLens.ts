// The CodeLens above a job's SQL: Infer Schema · Save Job · Start Job (a new job's: the first two), and after an
// inference its outcome.
import * as vscode from 'vscode';
import type { InferOutcome, PandoraSqlDiagnostics } from './diagnostics';
import { keyText, sqlDocumentKey } from './uri';

const t = vscode.l10n.t;

export const INFER_COMMAND = 'datahub.pandoraSql.inferSchema';
export const SAVE_COMMAND = 'datahub.pandoraSql.saveJob';
export const START_COMMAND = 'datahub.pandora.startJob';

export class PandoraSqlCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly outcomes = new Map<string, InferOutcome>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(diagnostics: PandoraSqlDiagnostics) {
    // The last outcome of each job shows as a fourth lens.
    this.subscription = diagnostics.onDidInfer(({ job, outcome }) => {
      this.outcomes.set(job, outcome);
      this.changed.fire();
    });
  }

  private readonly subscription: vscode.Disposable;

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const key = sqlDocumentKey(doc.uri);
    if (key === undefined) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, { title: t('Infer Schema'), command: INFER_COMMAND, arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: t('Save Job'), command: SAVE_COMMAND, arguments: [doc.uri] }),
    ];
    // A new job cannot start before it is saved.
    if ('job' in key) lenses.push(new vscode.CodeLens(top, { title: t('Start Job'), command: START_COMMAND, arguments: [key.job] }));
    const outcome = this.outcomes.get(keyText(key));
    if (outcome) {
      const title = outcome.ok ? t('Output: {0}', outcome.schema.map((f) => `${f.key} ${f.valtype}`).join(', ') || t('(no fields)')) : t('Schema inference failed (see Problems)');
      lenses.push(new vscode.CodeLens(top, { title, command: INFER_COMMAND, arguments: [doc.uri], tooltip: t('Infer the schema again') }));
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
