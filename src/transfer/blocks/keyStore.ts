// Private blocks kept out of the working tree: the non-secret part in a private folder, the key and nonce in a secret store.
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeOwnerOnlyFile } from '../ownerOnlyFile';
import { BlockError, parsePrivateBlock, serializePrivateBlock, type PrivateBlock } from './privateBlock';

/**
 * Where the secret parts go: VS Code's SecretStorage in the extension (the OS keychain), 0600 files in the CLI's
 * state dir (src/transfer/blocks/fileSecretStore.ts). Injected so that src/transfer stays free of vscode.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What the upload knew about the master when its private block was made; used to match the backend's private tasks. */
export interface PrivateBlockOrigin {
  /** The task's source_name (the master's file name). */
  sourceName: string;
  /** The task's uuid (the upload's): how a private task is matched to its block first. */
  uuid?: string;
  seriesId?: number;
  /** The series folder name (the task's `file`). */
  folderName?: string;
  /** The master, for the user's orientation only (never read). */
  masterPath?: string;
}

/** A stored private block as listed: everything but the key and nonce. */
export interface StoredPrivateBlock extends PrivateBlockOrigin {
  id: string;
  /** When it was stored (ms since the epoch). */
  createdAt: number;
  /** The public fields of the block (GCM tag, name, size, SHA-256): not secret, they open nothing. */
  tag: string;
  name: string;
  size: number;
  sha256: string;
}

interface SecretPart {
  key: string;
  nonce: string;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;

/** The secret store's key for a block: not `datahub.` (the credentials' prefix, whose changes refresh every view). */
export function secretKeyOf(id: string): string {
  return `datahub-private-block/${id}`;
}

export class PrivateBlockStore {
  /** @param dir a folder only this user can read (the extension's global storage, the CLI's state dir). */
  constructor(
    private readonly dir: () => string,
    private readonly secrets: SecretStore,
  ) {}

  /**
   * Stores `block` under `id` (a new one when not given; the same id replaces the block, as a re-encrypted master
   * needs). The secret part is stored first: metadata without its secret would list a block that cannot be served.
   */
  async save(block: PrivateBlock, origin: PrivateBlockOrigin, id: string = randomUUID()): Promise<string> {
    if (!ID.test(id)) throw new BlockError(`private block id ${JSON.stringify(id)}: letters, digits and "-" only`);
    const secret: SecretPart = { key: block.key, nonce: block.nonce };
    await this.secrets.store(secretKeyOf(id), JSON.stringify(secret));
    const entry: StoredPrivateBlock = { ...origin, id, createdAt: Date.now(), tag: block.tag, name: block.name, size: block.size, sha256: block.sha256 };
    await mkdir(this.dir(), { recursive: true, mode: 0o700 });
    await chmod(this.dir(), 0o700);
    await writeOwnerOnlyFile(this.metaPath(id), Buffer.from(`${JSON.stringify(entry, null, 2)}\n`, 'utf8'));
    return id;
  }

  /** Every stored block whose metadata reads back, newest first; a damaged file is skipped (and left for the user). */
  async list(): Promise<StoredPrivateBlock[]> {
    let names: string[];
    try {
      names = await readdir(this.dir());
    } catch {
      return [];
    }
    const out: StoredPrivateBlock[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const entry = await this.readMeta(name.slice(0, -'.json'.length));
      if (entry) out.push(entry);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  async has(id: string): Promise<boolean> {
    return (await this.get(id)) !== undefined;
  }

  /** The whole block (metadata + secret), checked as a downloaded one would be; undefined when either part is missing. */
  async get(id: string): Promise<PrivateBlock | undefined> {
    const entry = await this.readMeta(id);
    if (!entry) return undefined;
    const raw = await this.secrets.get(secretKeyOf(id));
    if (raw === undefined) return undefined;
    let secret: Partial<SecretPart>;
    try {
      secret = JSON.parse(raw) as Partial<SecretPart>;
    } catch {
      throw new BlockError(`the key of private block ${id} is damaged in the secret store`);
    }
    const block = { format: 'datahub-private-block', version: 1, algorithm: 'AES-256-GCM', key: secret.key, nonce: secret.nonce, tag: entry.tag, name: entry.name, size: entry.size, sha256: entry.sha256 };
    return parsePrivateBlock(Buffer.from(JSON.stringify(block), 'utf8'));
  }

  /** The bytes of the private block file (what is added to IPFS once the rights holder authorises it). */
  async bytes(id: string): Promise<Buffer | undefined> {
    const block = await this.get(id);
    return block && serializePrivateBlock(block);
  }

  async delete(id: string): Promise<void> {
    if (!ID.test(id)) return;
    await rm(this.metaPath(id), { force: true });
    await this.secrets.delete(secretKeyOf(id));
  }

  private metaPath(id: string): string {
    return join(this.dir(), `${id}.json`);
  }

  private async readMeta(id: string): Promise<StoredPrivateBlock | undefined> {
    if (!ID.test(id)) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(await readFile(this.metaPath(id), 'utf8'));
    } catch {
      return undefined;
    }
    if (!value || typeof value !== 'object') return undefined;
    const v = value as Partial<StoredPrivateBlock>;
    if (v.id !== id || typeof v.sourceName !== 'string' || typeof v.tag !== 'string' || typeof v.name !== 'string' || typeof v.size !== 'number' || typeof v.sha256 !== 'string' || typeof v.createdAt !== 'number') return undefined;
    return v as StoredPrivateBlock;
  }
}
