// The media area's private-block keys: metadata in global storage, key and nonce in SecretStorage, and the move of the
// `.datahub-private/` folders earlier versions left in the working tree.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../api/logger';
import { PrivateBlockStore, type SecretStore } from '../../transfer/blocks/keyStore';
import { legacyDirOf, migrateLegacyPrivateBlocks, type LegacyMigration } from '../../transfer/blocks/legacyPrivateBlocks';
import { PRIVATE_DIR } from '../../transfer/blocks/privateBlock';
import type { TransferEngine } from '../../transfer/engine';

/** SecretStorage as the vscode-free key store wants it. */
function secretStorage(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
  };
}

export class MediaPrivateKeys {
  readonly store: PrivateBlockStore;
  private running: Promise<LegacyMigration> | undefined;

  constructor(
    context: Pick<vscode.ExtensionContext, 'globalStorageUri' | 'secrets'>,
    private readonly engine: TransferEngine,
    private readonly logger: Logger,
  ) {
    this.store = new PrivateBlockStore(() => vscode.Uri.joinPath(context.globalStorageUri, 'private-blocks').fsPath, secretStorage(context.secrets));
  }

  /**
   * Moves every legacy private block found in the workspace folders (and where the journal says an upload wrote one)
   * into the store, then removes the folders left empty. One run at a time; each call looks again (a folder the user
   * copies in later is found by the next use).
   */
  migrate(): Promise<LegacyMigration> {
    this.running ??= this.migrateOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async migrateOnce(): Promise<LegacyMigration> {
    const dirs = new Set<string>();
    // findFiles honours files.exclude but not .gitignore: an ignored `.datahub-private/` still holds a key.
    for (const uri of await vscode.workspace.findFiles(`**/${PRIVATE_DIR}/*`, '**/node_modules/**')) dirs.add(dirname(uri.fsPath));
    for (const record of this.engine.list()) {
      const checkpoint: unknown = record.checkpoint;
      const path = checkpoint && typeof checkpoint === 'object' ? (checkpoint as { privatePath?: unknown }).privatePath : undefined;
      const dir = typeof path === 'string' ? legacyDirOf(path) : undefined;
      if (dir) dirs.add(dir);
    }
    if (dirs.size === 0) return { moved: [], kept: [], removedDirs: [] };
    const result = await migrateLegacyPrivateBlocks(this.store, dirs);
    if (result.moved.length > 0) {
      this.logger.info(`moved ${result.moved.length} private block(s) out of the working tree into the key store: ${result.moved.join(', ')}`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Moved {0} private block(s) out of the workspace: their keys are now in VS Code\'s secret storage.', result.moved.length));
    }
    for (const k of result.kept) this.logger.warn(`left ${k.path} in place: ${k.reason}`);
    return result;
  }
}
