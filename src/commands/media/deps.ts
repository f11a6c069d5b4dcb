// What the media commands work with: the media client, the engine their transfers run on, the questions, the token store.
import type { MediaClient } from '../../api/media/client';
import type { Prompts } from '../../platform/prompts';
import type { CredentialStore } from '../../platform/secrets';
import type { TransferEngine } from '../../transfer/engine';

export interface MediaCommandDeps {
  client: MediaClient;
  engine: TransferEngine;
  prompts: Prompts;
  credentials: CredentialStore;
}
