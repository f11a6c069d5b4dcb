// IPFS through a Kubo RPC API (kubo-rpc-client, loaded on first use): add with progress, ranged cat, id.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ApiError, isAbortError } from '../errors';
import type { Logger } from '../logger';

type KuboModule = typeof import('kubo-rpc-client');
type KuboClient = ReturnType<KuboModule['create']>;

export interface IpfsClientOptions {
  /** The Kubo RPC base URL (datahub.ipfs.apiUrl), read on every call. */
  apiUrl: () => string;
  logger: Logger;
}

export interface AddedFile {
  cid: string;
  /** Bytes of the file that was added. */
  size: number;
}

export interface TransferCallbacks {
  signal?: AbortSignal;
  /** Bytes moved since the last call. */
  onBytes?: (bytes: number) => void;
}

let kubo: Promise<KuboModule> | undefined;

/** kubo-rpc-client is ESM and ~0.5 MB bundled: imported when the first IPFS call is made, not at activation. */
function loadKubo(): Promise<KuboModule> {
  return (kubo ??= import('kubo-rpc-client'));
}

export class IpfsClient {
  private cached: { url: string; client: KuboClient } | undefined;

  constructor(private readonly options: IpfsClientOptions) {}

  private async client(): Promise<KuboClient> {
    const url = this.options.apiUrl().trim().replace(/\/+$/, '');
    if (!url) throw new ApiError('ipfs', undefined, 'NO_API_URL', 'no IPFS API URL is set (datahub.ipfs.apiUrl)');
    if (this.cached?.url === url) return this.cached.client;
    const { create } = await loadKubo();
    const client = create({ url });
    this.cached = { url, client };
    return client;
  }

  /** `ipfs add` of one file, streamed from disk; `onBytes` follows the node's own progress lines. */
  async addFile(path: string, options: TransferCallbacks & { name?: string } = {}): Promise<AddedFile> {
    const client = await this.client();
    const size = (await stat(path)).size;
    let reported = 0;
    try {
      const result = await client.add(
        { path: options.name ?? basename(path), content: createReadStream(path, { highWaterMark: 1024 * 1024 }) },
        {
          signal: options.signal,
          pin: true,
          progress: (bytes: number) => {
            if (bytes > reported) {
              options.onBytes?.(bytes - reported);
              reported = bytes;
            }
          },
        },
      );
      this.options.logger.debug(`ipfs add ${basename(path)} → ${result.cid.toString()}`);
      // Some nodes send no progress lines for small files: report the rest of the bytes at the end.
      if (reported < size) options.onBytes?.(size - reported);
      return { cid: result.cid.toString(), size };
    } catch (err) {
      throw this.wrap(err, 'add');
    }
  }

  /**
   * `ipfs cat` into `dest` from `offset` (the bytes before it are kept, so a broken download
   * continues where it stopped). Returns the file size afterwards.
   */
  async catToFile(cid: string, dest: string, options: TransferCallbacks & { offset?: number; length?: number } = {}): Promise<number> {
    const client = await this.client();
    const offset = options.offset ?? 0;
    const handle = await open(dest, offset > 0 ? 'r+' : 'w');
    let position = offset;
    try {
      await handle.truncate(offset);
      for await (const chunk of client.cat(cid, { offset: offset || undefined, length: options.length, signal: options.signal })) {
        await handle.write(chunk, 0, chunk.length, position);
        position += chunk.length;
        options.onBytes?.(chunk.length);
      }
    } catch (err) {
      throw this.wrap(err, 'cat');
    } finally {
      await handle.close();
    }
    return position;
  }

  /** A small object read into memory; refused once it passes `maxBytes`. */
  async catBytes(cid: string, options: TransferCallbacks & { maxBytes: number }): Promise<Buffer> {
    const client = await this.client();
    const parts: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of client.cat(cid, { length: options.maxBytes + 1, signal: options.signal })) {
        size += chunk.length;
        if (size > options.maxBytes) throw new ApiError('ipfs', undefined, 'TOO_LARGE', `${cid} is larger than ${options.maxBytes} bytes`);
        parts.push(chunk);
        options.onBytes?.(chunk.length);
      }
    } catch (err) {
      throw this.wrap(err, 'cat');
    }
    return Buffer.concat(parts);
  }

  /** The node's peer id (what the media backend calls `ip`). */
  async id(signal?: AbortSignal): Promise<string> {
    const client = await this.client();
    try {
      return (await client.id({ signal })).id.toString();
    } catch (err) {
      throw this.wrap(err, 'id');
    }
  }

  async version(signal?: AbortSignal): Promise<string> {
    const client = await this.client();
    try {
      return (await client.version({ signal })).version;
    } catch (err) {
      throw this.wrap(err, 'version');
    }
  }

  private wrap(err: unknown, what: string): Error {
    if (isAbortError(err) || err instanceof ApiError) return err as Error;
    const e = err as { name?: string; message?: string; response?: { status?: number }; cause?: { code?: string } };
    if (e.name === 'HTTPError') {
      const status = e.response?.status;
      return new ApiError('ipfs', status, status, `${what}: ${e.message ?? 'request failed'}`, status !== undefined && status >= 500 && !/not found|invalid/i.test(e.message ?? ''));
    }
    if (e.name === 'TimeoutError') return new ApiError('ipfs', undefined, 'TIMEOUT', `${what}: the IPFS node timed out`, true);
    const code = e.cause?.code ?? 'NETWORK';
    return new ApiError('ipfs', undefined, code, `${what}: ${e.message ?? String(err)} (${this.options.apiUrl()}) — is the IPFS node (Kubo) running?`, true);
  }
}
