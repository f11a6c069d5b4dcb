// The emulated Kubo RPC subset under /api/v0/: add (multipart, progress NDJSON, import options), cat, get, id,
// version, pin/add; /_emulator/kubo/config sets the node's Import config as a user's Kubo may have it.
import busboy from 'busboy';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BackendFactory, EmulatorContext } from '../context';
import { HttpError, type RequestContext, type Router } from '../router';
import { BlockNotFoundError, DiskBlockstore } from './blockstore';
import { loadPeerId } from './identity';
import { tarHeader, tarTrailer } from './tar';
import { fileSize, importStream, KUBO_IMPORT_DEFAULTS, parseCid, readFileRange, type ImportSettings } from './unixfs';

const AGENT = 'kubo/0.34.1/datahub-emulator';
const PROGRESS_STEP = 256 * 1024;

/** Kubo's error shape: HTTP 500 with {Message, Code, Type}. */
function kuboError(message: string, status = 500): HttpError {
  return new HttpError(status, { Message: message, Code: 0, Type: 'error' });
}

function flag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v === '' || v === 'true' || v === '1';
}

function intParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw kuboError(`invalid value for ${name}: ${raw}`, 400);
  return n;
}

/** The import options an add asked for (null: not sent), so tests see what a client relies on. */
interface AddQuery {
  cid_version: string | null;
  raw_leaves: string | null;
  chunker: string | null;
}

/** The add's settings: its own options first, then the node's Import config (Kubo's `Import.*`). */
function importSettings(url: URL, config: ImportSettings): ImportSettings {
  const cidVersion = intParam(url, 'cid-version') ?? config.cidVersion;
  if (cidVersion !== 0 && cidVersion !== 1) throw kuboError(`unknown CID version ${cidVersion}`, 400);
  // Kubo: raw leaves when asked; else CIDv1 brings them, and CIDv0 follows the Import config.
  const rawLeaves = url.searchParams.has('raw-leaves') ? flag(url, 'raw-leaves') : cidVersion === 1 ? true : config.rawLeaves;
  const chunker = url.searchParams.get('chunker') ?? `size-${config.chunkSize}`;
  const size = /^size-(\d+)$/.exec(chunker);
  if (!size || Number(size[1]) < 1 || Number(size[1]) > 1024 * 1024) throw kuboError(`chunker ${chunker}: this node supports size-N chunkers only (N up to 1 MiB)`, 400);
  return { cidVersion, rawLeaves, chunkSize: Number(size[1]) };
}

export const registerKubo: BackendFactory = async (router: Router, ctx: EmulatorContext) => {
  const root = join(ctx.dataDir, 'kubo');
  const blockstore = new DiskBlockstore(join(root, 'blocks'));
  const peerId = await loadPeerId(join(root, 'identity.json'));
  const pins = new Set<string>();
  let added = 0;
  /** Kubo's `Import.*` config of this node (POST /_emulator/kubo/config), and the last add's options. */
  let importConfig: ImportSettings = { ...KUBO_IMPORT_DEFAULTS };
  let lastAdd: AddQuery | null = null;

  const resolveCid = async (c: RequestContext) => {
    const arg = c.url.searchParams.get('arg');
    if (!arg) throw kuboError('argument "ipfs-path" is required', 400);
    try {
      return await parseCid(arg);
    } catch {
      throw kuboError(`invalid path "${arg}": not a valid CID`, 400);
    }
  };
  const notFound = (err: unknown): never => {
    if (err instanceof BlockNotFoundError) throw kuboError(err.message);
    throw err;
  };

  router.add('POST', '/api/v0/add', 'ipfs_add', (c) => {
    const query = c.url.searchParams;
    lastAdd = { cid_version: query.get('cid-version'), raw_leaves: query.get('raw-leaves'), chunker: query.get('chunker') };
    return handleAdd(c, blockstore, ctx, importSettings(c.url, importConfig), pins, () => added++);
  });

  router.add('POST', '/_emulator/kubo/config', 'admin', async (c) => {
    const body = await c.json<{ import?: { cid_version?: number; raw_leaves?: boolean; chunk_size?: number } | null }>();
    if (body.import === null) importConfig = { ...KUBO_IMPORT_DEFAULTS };
    else if (body.import !== undefined) {
      const cidVersion = Number(body.import.cid_version ?? importConfig.cidVersion);
      if (cidVersion !== 0 && cidVersion !== 1) throw new HttpError(400, { error: 'import.cid_version: 0 or 1' });
      importConfig = { cidVersion, rawLeaves: body.import.raw_leaves ?? importConfig.rawLeaves, chunkSize: Number(body.import.chunk_size ?? importConfig.chunkSize) };
    }
    c.sendJson(200, { import: { cid_version: importConfig.cidVersion, raw_leaves: importConfig.rawLeaves, chunk_size: importConfig.chunkSize } });
  });

  router.add('POST', '/api/v0/cat', 'ipfs_cat', async (c) => {
    const cid = await resolveCid(c);
    const offset = intParam(c.url, 'offset') ?? 0;
    const size = await fileSize(cid, blockstore).catch(notFound);
    const length = Math.min(intParam(c.url, 'length') ?? size, Math.max(0, size - offset));
    c.res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Content-Length': String(length), 'X-Stream-Output': '1', 'Trailer': 'X-Stream-Error' });
    await streamOut(c, readFileRange(cid, blockstore, offset, length), ctx);
  });

  router.add('POST', '/api/v0/get', 'ipfs_cat', async (c) => {
    const cid = await resolveCid(c);
    const size = await fileSize(cid, blockstore).catch(notFound);
    c.res.writeHead(200, { 'Content-Type': 'application/x-tar', 'X-Stream-Output': '1', 'Trailer': 'X-Stream-Error' });
    c.res.write(tarHeader(cid.toString(), size, Math.floor(Date.now() / 1000)));
    await streamOut(c, readFileRange(cid, blockstore, 0, size), ctx, tarTrailer(size));
  });

  router.add('POST', '/api/v0/id', 'ipfs_meta', (c) => {
    const port = new URL(ctx.baseUrl()).port;
    c.sendJson(200, {
      ID: peerId,
      PublicKey: '',
      Addresses: [`/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}`],
      AgentVersion: AGENT,
      Protocols: ['/ipfs/bitswap/1.2.0', '/ipfs/id/1.0.0'],
    });
  });

  router.add('POST', '/api/v0/version', 'ipfs_meta', (c) => {
    c.sendJson(200, { Version: '0.34.1', Commit: 'emulator', Repo: '16', System: `${process.arch}/${process.platform}`, Golang: 'go1.24' });
  });

  router.add('POST', '/api/v0/pin/add', 'ipfs_meta', async (c) => {
    const cid = await resolveCid(c);
    await fileSize(cid, blockstore).catch(notFound);
    pins.add(cid.toString());
    c.sendJson(200, { Pins: [cid.toString()] });
  });

  return {
    state: () => ({ kubo: { peer_id: peerId, pins: [...pins], added, last_add: lastAdd } }),
    reset: async () => {
      pins.clear();
      added = 0;
      lastAdd = null;
      importConfig = { ...KUBO_IMPORT_DEFAULTS };
      await blockstore.clear();
    },
  };
};

async function streamOut(c: RequestContext, source: AsyncIterable<Uint8Array>, ctx: EmulatorContext, trailer?: Buffer): Promise<void> {
  let sent = 0;
  for await (const piece of source) {
    sent += piece.length;
    if (!c.res.write(piece)) await new Promise<void>((resolve) => c.res.once('drain', () => resolve()));
    if (c.res.destroyed) return;
  }
  ctx.count('get_bytes', sent);
  c.res.end(trailer);
}

/** Streams each multipart file into the importer while answering with Kubo's NDJSON progress lines. */
async function handleAdd(c: RequestContext, blockstore: DiskBlockstore, ctx: EmulatorContext, settings: ImportSettings, pins: Set<string>, onAdded: () => void): Promise<void> {
  const contentType = c.req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) throw kuboError('request Content-Type is not multipart/form-data', 400);
  const progress = flag(c.url, 'progress');
  const pin = c.url.searchParams.get('pin') !== 'false';
  const lines: string[] = [];
  let started = false;
  const writeLine = (value: unknown): void => {
    if (!started) {
      c.res.writeHead(200, { 'Content-Type': 'application/json', 'X-Chunked-Output': '1', 'Trailer': 'X-Stream-Error' });
      started = true;
    }
    c.res.write(`${JSON.stringify(value)}\n`);
  };
  const jobs: Promise<void>[] = [];
  await new Promise<void>((resolve, reject) => {
    const bb = busboy({ headers: c.req.headers });
    bb.on('file', (_field: string, stream: Readable, info: { filename?: string }) => {
      const name = safeDecode(info.filename ?? '');
      let bytes = 0;
      let reported = 0;
      const counted = (async function* () {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          ctx.count('put_bytes', chunk.length);
          if (progress && bytes - reported >= PROGRESS_STEP) {
            reported = bytes;
            writeLine({ Name: name, Bytes: bytes });
          }
          yield chunk;
        }
      })();
      jobs.push(
        importStream(counted, blockstore, settings).then((result) => {
          if (progress) writeLine({ Name: name, Bytes: result.fileSize });
          if (pin) pins.add(result.cid);
          onAdded();
          lines.push(result.cid);
          writeLine({ Name: name || result.cid, Hash: result.cid, Size: String(result.dagSize) });
        }),
      );
    });
    bb.on('error', reject);
    bb.on('close', () => resolve());
    c.req.pipe(bb);
  });
  try {
    await Promise.all(jobs);
  } catch (err) {
    if (!started) throw kuboError(`add failed: ${(err as Error).message}`);
    c.res.addTrailers({ 'X-Stream-Error': (err as Error).message });
  }
  if (!lines.length && !started) throw kuboError('no file was given to add', 400);
  c.res.end();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
