// A save that meets a change made elsewhere: the server's SQL and the document side by side (vscode.diff),
// then Overwrite or Reload. In test mode the extension's testing API describes the open question and answers it
// as its buttons do, so that the integration tests answer it the way a person would.
import * as vscode from 'vscode';
import { jobSqlUri, PANDORA_SQL_SCHEME } from './uri';

export type ConflictChoice = 'overwrite' | 'reload';

/** Read-only snapshots of the server's SQL shown on the left of the diff. */
export const SERVER_SNAPSHOT_SCHEME = `${PANDORA_SQL_SCHEME}-server`;

export interface OpenConflict {
  job: string;
  server: string;
}

export class ConflictResolver implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly snapshots = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private open: { conflict: OpenConflict; answer: (choice: ConflictChoice | undefined) => void } | undefined;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.snapshots.get(uri.path) ?? '';
  }

  describe(): OpenConflict | undefined {
    return this.open?.conflict;
  }

  /** Answers the open question as the buttons do; returns whether one was open. */
  answer(choice: ConflictChoice | undefined): boolean {
    if (!this.open) return false;
    this.open.answer(choice);
    return true;
  }

  /** Shows the diff and asks; undefined when the person dismisses the question (nothing is written). */
  async resolve(job: string, server: string): Promise<ConflictChoice | undefined> {
    this.open?.answer(undefined);
    const left = vscode.Uri.from({ scheme: SERVER_SNAPSHOT_SCHEME, path: `/jobs/${job}.sql` });
    this.snapshots.set(left.path, server);
    this.changed.fire(left);
    const title = vscode.l10n.t('{0}.sql: on the server ↔ yours', job);
    await vscode.commands.executeCommand('vscode.diff', left, jobSqlUri(job), title, { preview: true, preserveFocus: true });
    const overwrite = vscode.l10n.t('Overwrite');
    const reload = vscode.l10n.t('Reload');
    return new Promise<ConflictChoice | undefined>((resolve) => {
      let settled = false;
      const open = {
        conflict: { job, server },
        answer: (choice: ConflictChoice | undefined): void => {
          if (settled) return;
          settled = true;
          if (this.open === open) this.open = undefined;
          resolve(choice);
        },
      };
      this.open = open;
      void vscode.window
        .showWarningMessage(vscode.l10n.t('The SQL of job {0} was changed elsewhere since you opened it. Overwrite it with yours, or reload the server’s (yours stays in Undo)?', job), overwrite, reload)
        .then((picked) => open.answer(picked === overwrite ? 'overwrite' : picked === reload ? 'reload' : undefined));
    });
  }

  dispose(): void {
    this.open?.answer(undefined);
    this.changed.dispose();
  }
}
