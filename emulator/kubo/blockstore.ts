// The emulated Kubo node's blockstore: one file per block under <dataDir>/kubo/blocks, written atomically.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempPathFor } from '../store/files';

/** What the store needs of a CID (several multiformats copies are installed; any of them fits). */
export interface CidLike {
  multihash: { bytes: Uint8Array };
  toString(): string;
}

type BlockInput = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export class DiskBlockstore {
  constructor(readonly dir: string) {}

  private pathOf(cid: CidLike | string): string {
    // The multihash is the block's identity: v0 and v1 CIDs of the same bytes share one file.
    const key = typeof cid === 'string' ? cid : Buffer.from(cid.multihash.bytes).toString('hex');
    return join(this.dir, key.slice(-2), key);
  }

  async put<C extends CidLike>(cid: C, value: BlockInput): Promise<C> {
    const path = this.pathOf(cid);
    if (existsSync(path)) return cid;
    let bytes: Uint8Array;
    if (value instanceof Uint8Array) bytes = value;
    else {
      const parts: Uint8Array[] = [];
      for await (const part of value) parts.push(part);
      bytes = Buffer.concat(parts);
    }
    await mkdir(join(path, '..'), { recursive: true });
    const temp = tempPathFor(path);
    await writeFile(temp, bytes);
    await rename(temp, path);
    return cid;
  }

  async get(cid: CidLike): Promise<Uint8Array> {
    try {
      return await readFile(this.pathOf(cid));
    } catch {
      throw new BlockNotFoundError(cid.toString());
    }
  }

  has(cid: CidLike): boolean {
    return existsSync(this.pathOf(cid));
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

export class BlockNotFoundError extends Error {
  constructor(readonly cid: string) {
    super(`block was not found locally (offline): ${cid}`);
  }
}
