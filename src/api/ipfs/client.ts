// IPFS through a Kubo RPC API (kubo-rpc-client, loaded on first use): add with progress and explicit
// import options, ranged cat with a deadline, id.
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
  /** How long a cat may wait for its first byte, or for the next one (datahub.ipfs.timeoutSeconds). */
  timeoutMs?: () => number;
}

export const DEFAULT_IPFS_TIMEOUT_MS = 60_000;

/**
 * How a file is imported, sent with every add: the CID is then the one the media backend and Debian's
 * ipfs_cid compute (CIDv0, 256 KiB chunks, no raw leaves), whatever the node's own `Import.*` config says.
 */
export const IMPORT_OPTIONS = { cidVersion: 0, chunker: 'size-262144', rawLeaves: false } as const;

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
          ...IMPORT_OPTIONS,
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
    const offset = options.offset ?? 0;
    const handle = await open(dest, offset > 0 ? 'r+' : 'w');
    let position = offset;
    try {
      await handle.truncate(offset);
      for await (const chunk of this.catStream(cid, { offset, length: options.length, signal: options.signal })) {
        await handle.write(chunk, 0, chunk.length, position);
        position += chunk.length;
        options.onBytes?.(chunk.length);
      }
    } finally {
      await handle.close();
    }
    return position;
  }

  /** A small object read into memory; refused once it passes `maxBytes`. */
  async catBytes(cid: string, options: TransferCallbacks & { maxBytes: number }): Promise<Buffer> {
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of this.catStream(cid, { length: options.maxBytes + 1, signal: options.signal })) {
      size += chunk.length;
      if (size > options.maxBytes) throw new ApiError('ipfs', undefined, 'TOO_LARGE', `${cid} is larger than ${options.maxBytes} bytes`);
      parts.push(chunk);
      options.onBytes?.(chunk.length);
    }
    return Buffer.concat(parts);
  }

  /**
   * `cat` that gives up when the node sends nothing for the timeout: a node that does not have the
   * content looks for it on the network for as long as the request stays open, and an offline one
   * may never answer at all.
   */
  private async *catStream(cid: string, options: { offset?: number; length?: number; signal?: AbortSignal }): AsyncGenerator<Uint8Array> {
    const client = await this.client();
    const timeoutMs = this.options.timeoutMs?.() ?? DEFAULT_IPFS_TIMEOUT_MS;
    const deadline = new AbortController();
    const onAbort = (): void => deadline.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let received = 0;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        deadline.abort(new Error('IPFS timeout'));
      }, timeoutMs);
    };
    arm();
    try {
      for await (const chunk of client.cat(cid, { offset: options.offset || undefined, length: options.length, signal: deadline.signal })) {
        received += chunk.length;
        arm();
        yield chunk;
      }
    } catch (err) {
      if (timedOut && !options.signal?.aborted) throw this.timeoutError(cid, received, timeoutMs);
      throw this.wrap(err, 'cat');
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private timeoutError(cid: string, received: number, timeoutMs: number): ApiError {
    const seconds = timeoutMs / 1000;
    if (received > 0) return new ApiError('ipfs', undefined, 'TIMEOUT', `cat ${cid}: the IPFS node stopped sending after ${received} bytes and sent nothing for ${seconds} s`, true);
    // Not retried: the node has looked for the content for the whole timeout already.
    return new ApiError(
      'ipfs',
      undefined,
      'NOT_FOUND_IN_TIME',
      `cat ${cid}: the IPFS node (${this.options.apiUrl()}) returned nothing within ${seconds} s — the content is not on that node and it could not find it on the network (is the node online, is the content pinned somewhere?). The wait is set by datahub.ipfs.timeoutSeconds.`,
    );
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
