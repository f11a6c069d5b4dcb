// A media test rig: the emulator (media, and its Kubo subset unless another IPFS node is given), the two clients,
// and an engine with the three media protocols.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { IpfsClient } from '../../../src/api/ipfs/client';
import { silentLogger } from '../../../src/api/logger';
import { MediaClient } from '../../../src/api/media/client';
import { FileSecretStore } from '../../../src/transfer/blocks/fileSecretStore';
import { PrivateBlockStore } from '../../../src/transfer/blocks/keyStore';
import { TransferEngine } from '../../../src/transfer/engine';
import { MemoryJournal } from '../../../src/transfer/journal';
import { MediaDownloadProtocol } from '../../../src/transfer/protocols/mediaDownload';
import { MediaPrivateUploadProtocol } from '../../../src/transfer/protocols/mediaPrivateUpload';
import type { MediaProtocolDeps } from '../../../src/transfer/protocols/mediaShared';
import { MediaUploadProtocol } from '../../../src/transfer/protocols/mediaUpload';
import { adminClient, tempDir, type AdminCall } from '../helpers/emulator';

export interface MediaRig {
  emulator: RunningEmulator;
  client: MediaClient;
  ipfs: IpfsClient;
  engine: TransferEngine;
  messages: string[];
  staging: string;
  /** The private blocks uploads made (metadata and 0600 secret files, as the CLI keeps them). */
  keys: PrivateBlockStore;
  /** The folder holding them (nothing of the rig is in the working folders of a test). */
  keysDir: string;
  admin: AdminCall;
  close(): Promise<void>;
}

export interface MediaRigOptions {
  token?: string;
  /** The Kubo RPC API to use instead of the emulator's own subset. */
  ipfsUrl?: string;
  /** How long an IPFS cat waits for bytes. */
  ipfsTimeoutMs?: number;
}

export async function startMediaRig({ token = 'user-token', ipfsUrl, ipfsTimeoutMs }: MediaRigOptions = {}): Promise<MediaRig> {
  const dataDir = tempDir('datahub-media-emu-');
  const staging = tempDir('datahub-media-staging-');
  const keysDir = tempDir('datahub-media-keys-');
  const keys = new PrivateBlockStore(() => join(keysDir, 'blocks'), new FileSecretStore(join(keysDir, 'secrets')));
  const emulator = await startEmulator({ dataDir, backends: ipfsUrl ? ['media'] : ['media', 'kubo'] });
  const messages: string[] = [];
  const client = new MediaClient({ baseUrl: () => emulator.url, token: async () => token, logger: silentLogger, onMessage: (m) => messages.push(m) });
  const ipfs = new IpfsClient({ apiUrl: () => ipfsUrl ?? emulator.url, logger: silentLogger, timeoutMs: ipfsTimeoutMs === undefined ? undefined : () => ipfsTimeoutMs });
  const deps: MediaProtocolDeps = { client, ipfs, stagingDir: () => staging, privateBlocks: keys, retries: () => 2, pollMs: () => 50 };
  const engine = new TransferEngine({ journal: new MemoryJournal(), logger: silentLogger, concurrency: () => 2, progressIntervalMs: 10 });
  engine.registerProtocol(new MediaUploadProtocol(deps));
  engine.registerProtocol(new MediaDownloadProtocol(deps));
  engine.registerProtocol(new MediaPrivateUploadProtocol(deps));
  return {
    emulator,
    client,
    ipfs,
    engine,
    messages,
    staging,
    keys,
    keysDir,
    admin: adminClient(emulator.url),
    close: async () => {
      await engine.dispose();
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(staging, { recursive: true, force: true });
      rmSync(keysDir, { recursive: true, force: true });
    },
  };
}
