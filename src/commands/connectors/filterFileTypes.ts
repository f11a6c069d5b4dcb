// Filter by File Type: the Connectors view then shows only those files (and the directories that hold them).
import * as vscode from 'vscode';
import type { Prompts } from '../../platform/prompts';
import { FILTERABLE_FILE_TYPES, fileTypeLabel } from '../../providers/connectorsPresentation';
import type { ConnectorsTreeProvider } from '../../providers/connectorsTree';

/** Returns the file types now shown (none = all), or undefined when the picker was dismissed. */
export async function filterFileTypes(deps: { prompts: Prompts; connectorsTree: ConnectorsTreeProvider }, updateDescriptions: () => void): Promise<number[] | undefined> {
  const current = deps.connectorsTree.fileTypeFilter;
  const picked = await deps.prompts.pickMany(
    FILTERABLE_FILE_TYPES.map((t) => ({ label: fileTypeLabel(t), picked: current.includes(t), type: t })),
    { title: vscode.l10n.t('Filter by File Type'), placeHolder: vscode.l10n.t('Show only these file types (none = all)') },
  );
  if (!picked) return undefined;
  const types = picked.map((p) => p.type);
  deps.connectorsTree.setFileTypeFilter(types);
  updateDescriptions();
  return types;
}
