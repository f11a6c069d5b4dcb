// What activate() returns: a small read-only view of the extension's state, for other extensions and tests.
import type { TransferRecord } from './transfer/types';

export interface TransferViewItem {
  id: string;
  label: string;
  description: string;
  contextValue: string;
}

export interface DatahubExtensionApi {
  /** A snapshot of every transfer, newest first. */
  transfers(): TransferRecord[];
  /** The Transfers view's items as rendered (label, description, context value). */
  transferViewItems(): TransferViewItem[];
  /** The transfers status bar item: its text and whether it is shown. */
  transferStatusBar(): { text: string; visible: boolean };
}

/** A tree item as the undeclared `datahub.internal.*Snapshot` commands return it. */
export interface TreeSnapshotEntry {
  /** The provider's own node: pass it back to a context command as the tree would. */
  node: unknown;
  id?: string;
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  icon?: string;
  children?: TreeSnapshotEntry[];
}
