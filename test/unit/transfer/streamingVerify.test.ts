// A download is verified as its ranges land: ranges that arrive out of order (one held back until every other has
// landed) still give the object's MD5 and multipart ETag, each byte hashed once, and a body that is not what the
// ETag says fails the download with MD5_MISMATCH, from the hashes taken on the way.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { DatahubClient } from '../../../src/api/datahub/client';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { MemoryJournal } from '../../../src/transfer/journal';
import { DATAHUB_DOWNLOAD_KIND, DatahubDownloadProtocol } from '../../../src/transfer/protocols/datahubDownload';
import { downloadRanges } from '../../../src/transfer/rangedDownload';
import { useCleanup } from '../helpers/cleanup';
import { useTempDir } from '../helpers/emulator';
import { startHostileServer, type HostileServer } from '../helpers/hostileServer';

const PART = 64 * 1024;
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

function compositeOf(data: Buffer, partSize: number): string {
  const all = createHash('md5');
  for (let o = 0; o < data.length; o += partSize) all.update(createHash('md5').update(data.subarray(o, o + partSize)).digest());
  return `${all.digest('hex')}-${Math.ceil(data.length / partSize)}`;
}

/**
 * A store serving `body` by range under `etag`; the range starting at `holdStart` is answered only after every other
 * range has been (so it lands last, out of order). Also answers Datahub's presign and update_status.
 */
async function rangeStore(body: Buffer, etag: string, holdStart?: number): Promise<HostileServer & { answered: number[] }> {
  const answered: number[] = [];
  const parts = Math.ceil(body.length / PART);
  let releaseHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (releaseHeld = resolve));
  const server = await startHostileServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (url.startsWith('/api/task/download/presign')) {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ code: 0, data: { download_url: `${server.url}/object`, file_name: 'verified.bin' } }));
      return;
    }
    if (url.startsWith('/api/task/')) {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ code: 0, data: null }));
      return;
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range));
    if (!m) {
      res.statusCode = 400;
      res.end();
      return;
    }
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), body.length - 1);
    const answer = (): void => {
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${body.length}`);
      res.setHeader('ETag', etag);
      res.end(body.subarray(start, end + 1));
      answered.push(start);
      // Every other range is answered: the held one may go.
      if (answered.length === parts - 1) releaseHeld();
    };
    if (start === holdStart) void held.then(answer);
    else answer();
  });
  return Object.assign(server, { answered });
}

describe('verify while downloading', function () {
  this.timeout(60_000);
  const dir = useTempDir();
  const keep = useCleanup();
  let n = 0;

  it('ranges landing out of order give the MD5 and the multipart ETag, each byte hashed once', async () => {
    const body = randomBytes(10 * PART + 123);
    const composite = compositeOf(body, PART);
    // Part 2 is held until parts 3–11 have landed: the written prefix stops at part 1 until the end.
    const store = await rangeStore(body, `"${composite}"`, PART);
    const path = join(dir.path, `out-of-order-${++n}.bin`);
    const result = await downloadRanges({
      url: async () => `${store.url}/object`,
      path,
      concurrency: 4,
      chunkSize: PART,
      retries: 0,
      stallMs: 30_000,
      signal: new AbortController().signal,
      hashing: () => ({ compositePartSizes: [PART, 2 * PART] }),
    });
    await store.close();
    assert.equal(store.answered[store.answered.length - 1], PART, 'part 2 landed last');
    assert.deepEqual(readFileSync(path), body);
    assert.ok(result.hashes, 'hashed on the way');
    assert.equal(result.hashes.md5, md5(body));
    assert.equal(`${result.hashes.composite.get(PART)}-11`, composite);
    assert.notEqual(result.hashes.composite.get(2 * PART), result.hashes.composite.get(PART));
    assert.equal(result.hashes.bytesReadBack, body.length, 'every byte hashed once, not twice');
  });

  it('a resumed download hashes what the earlier run wrote and the rest as it lands: the whole object, once', async () => {
    const body = randomBytes(6 * PART);
    const store = await rangeStore(body, `"${md5(body)}"`);
    const path = join(dir.path, `resumed-${++n}.bin`);
    const controller = new AbortController();
    let first: Parameters<NonNullable<Parameters<typeof downloadRanges>[0]['onState']>>[0] | undefined;
    // The first run stops (aborted) once three parts are recorded.
    await downloadRanges({
      url: async () => `${store.url}/object`,
      path,
      concurrency: 1,
      chunkSize: PART,
      retries: 0,
      stallMs: 30_000,
      signal: controller.signal,
      hashing: () => ({ compositePartSizes: [] }),
      onState: async (s) => {
        first = s;
        if (s.done.length === 3) controller.abort();
      },
    }).catch(() => undefined);
    assert.equal(first?.done.length, 3);
    const result = await downloadRanges({
      url: async () => `${store.url}/object`,
      path,
      concurrency: 2,
      chunkSize: PART,
      retries: 0,
      stallMs: 30_000,
      signal: new AbortController().signal,
      state: first,
      hashing: () => ({ compositePartSizes: [] }),
    });
    await store.close();
    assert.equal(result.hashes?.md5, md5(body));
    assert.equal(result.hashes?.bytesReadBack, body.length, 'the three parts of the earlier run and the three new ones, each once');
  });

  /** Downloads from a store serving `served` under `etag` through the protocol; part 3 lands last. */
  async function protocolDownload(served: Buffer, etag: string) {
    const store = await rangeStore(served, etag, 2 * PART);
    const engine = keep(new TransferEngine({ journal: new MemoryJournal(), logger: silentLogger, concurrency: () => 1 }));
    const client = new DatahubClient({ baseUrl: () => store.url, token: async () => 't', logger: silentLogger });
    engine.registerProtocol(new DatahubDownloadProtocol({ client, tuning: () => ({ chunkSize: PART, partConcurrency: 3, retries: 0, stallSeconds: 30 }) }));
    const folder = join(dir.path, `protocol-${++n}`);
    const record = engine.start(DATAHUB_DOWNLOAD_KIND, { subtaskId: 'sub-1', folder, fileName: 'verified.bin', overwrite: false }, { label: 'verified.bin' });
    const final = await engine.whenSettled(record);
    await store.close();
    client.close();
    return { final, target: join(folder, 'verified.bin') };
  }

  it('the protocol fails with MD5_MISMATCH when the bytes are not what the MD5 ETag says, and keeps no final file', async () => {
    const body = randomBytes(5 * PART + 7);
    const damaged = Buffer.from(body);
    damaged[3 * PART + 11] ^= 0xff;
    const { final, target } = await protocolDownload(damaged, `"${md5(body)}"`);
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /has MD5 [0-9a-f]{32}, the store's ETag says/);
    assert.deepEqual(final.checkpoint.done, [], 'every range is fetched again on retry');
    assert.equal(existsSync(target), false);
  });

  it('the protocol checks a multipart ETag from the part MD5s taken on the way; damaged bytes are "size only"', async () => {
    const body = randomBytes(5 * PART + 7);
    const good = await protocolDownload(body, `"${compositeOf(body, PART)}"`);
    assert.equal(good.final.state, 'completed', good.final.error);
    assert.equal(good.final.checkpoint.integrity, 'composite-md5');
    assert.equal(good.final.checkpoint.etagPartSize, PART);
    assert.deepEqual(readFileSync(good.target), body);

    const damaged = Buffer.from(body);
    damaged[PART + 3] ^= 0xff;
    const bad = await protocolDownload(damaged, `"${compositeOf(body, PART)}"`);
    // No likely part size reproduces it: damaged bytes and an unknown part size look the same.
    assert.equal(bad.final.state, 'completed', bad.final.error);
    assert.equal(bad.final.checkpoint.integrity, 'size');
  });
});
