// Show Details on a transfer: opens its details page (throughput, parts, bytes re-sent, journal file).
import * as vscode from 'vscode';
import type { TransferEngine } from '../transfer/engine';
import type { Prompts } from '../platform/prompts';
import { openTransferDetails, type TransferDetailsDeps } from '../webviews/transferDetailsPanel';

/** The row it was run on, or — from the palette — a pick of the transfers in the list. */
export async function showTransferDetails(deps: TransferDetailsDeps & { engine: Pick<TransferEngine, 'get' | 'list' | 'onDidChange'>; prompts: Prompts }, node: unknown): Promise<void> {
  let record = node && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string' ? deps.engine.get((node as { id: string }).id) : undefined;
  if (!record) {
    const all = deps.engine.list();
    if (all.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There are no transfers to show.'));
      return;
    }
    const picked = await deps.prompts.pick(all.map((r) => ({ label: r.label, description: r.state, record: r })), { placeHolder: vscode.l10n.t('Show the details of which transfer?') });
    record = picked?.record;
  }
  if (record) openTransferDetails(deps, record);
}
