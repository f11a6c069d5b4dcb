// A refusal by the store is final unless it is an expiry; a Content-Type is sent only when configured; SlowDown
// with Retry-After is waited out.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAliveAgents } from '../../../src/api/http';
import { putFileRange } from '../../../src/transfer/dataPlane';
import type { DatahubUploadTuning } from '../../../src/transfer/protocols/datahubUpload';
import { withRetry } from '../../../src/transfer/retry';
import { useTempDir, useTestEmulator } from '../helpers/emulator';
import { startUpload, uploadEngine } from '../helpers/engine';
import { until } from '../helpers/until';
import { writeRandomFile } from '../helpers/files';

interface State {
  objects: { subtask_id: string; md5: string }[];
  subtasks: Record<string, { status_history: { status: number }[] }>;
  datahub: { uploads: { upload_id: string; subtask_id: string }[]; wire: { part_put: { path: string; headers: [string, string][] }[] } };
}

describe('store refusals and the part Content-Type', function () {
  this.timeout(60_000);
  // The default (strictest) profile: S3 SigV2 query auth, which signs Content-Type.
  const emu = useTestEmulator(['datahub']);
  const dir = useTempDir();
  const state = () => emu.admin<State>('GET', '/_emulator/state');
  afterEach(() => emu.admin('POST', '/_emulator/store', { datahub_content_type: null }));

  async function upload(subtask: string, tuning: Partial<DatahubUploadTuning> = {}) {
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: subtask });
    const file = writeRandomFile(dir.path, `${subtask}.bin`, 1000);
    const { engine } = uploadEngine(emu.url, tuning);
    const record = await startUpload(engine, subtask, [{ path: file.path, name: `${subtask}.bin` }]);
    return { final: await engine.whenSettled(record), file };
  }

  it('SignatureDoesNotMatch is final: shown in the store\'s words, no second init, status 5', async () => {
    // This Datahub presigns with a Content-Type the client is not configured to send.
    await emu.admin('POST', '/_emulator/store', { datahub_content_type: 'binary/octet-stream' });
    const { final } = await upload('refused-signature');
    assert.equal(final.state, 'failed');
    assert.match(
      final.error ?? '',
      /^the store refused part 1: SignatureDoesNotMatch — The request signature we calculated does not match the signature you provided\. Check your key and signing method\. \(RequestId [0-9A-F]{16}\) \(HTTP 403\)$/,
    );
    const s = await state();
    const inits = s.datahub.uploads.filter((u) => u.subtask_id === 'refused-signature');
    assert.equal(inits.length, 1, 'no new multipart upload for a refusal that a new URL cannot fix');
    assert.equal(s.datahub.wire.part_put.filter((w) => w.path.includes(inits[0].upload_id)).length, 1, 'not retried');
    await until('status 5 at the Datahub', async () => (await state()).subtasks['refused-signature'].status_history.some((h) => h.status === 5) || undefined);
    assert.deepEqual((await state()).subtasks['refused-signature'].status_history.map((h) => h.status), [1, 5]);
  });

  it('datahub.transfer.partContentType sends exactly that Content-Type, and the upload completes', async () => {
    await emu.admin('POST', '/_emulator/store', { datahub_content_type: 'binary/octet-stream' });
    const { final, file } = await upload('typed-parts', { partContentType: 'binary/octet-stream' });
    assert.equal(final.state, 'completed', final.error);
    const s = await state();
    assert.equal(s.objects.find((o) => o.subtask_id === 'typed-parts')?.md5, file.md5);
    const id = s.datahub.uploads.find((u) => u.subtask_id === 'typed-parts')?.upload_id ?? '?';
    const put = s.datahub.wire.part_put.find((w) => w.path.includes(id));
    assert.deepEqual(put?.headers.filter(([k]) => /^content-/i.test(k)).sort(), [['Content-Length', '1000'], ['Content-Type', 'binary/octet-stream']]);
  });

  it('a 503 SlowDown with Retry-After is retried after the wait the store asks for', async () => {
    let calls = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls++;
        if (calls === 1) {
          res.writeHead(503, { 'Content-Type': 'application/xml', 'Retry-After': '1' });
          res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>5D1A</RequestId><HostId>h</HostId></Error>');
        } else {
          res.writeHead(200, { ETag: '"0123456789abcdef0123456789abcdef"' });
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const file = writeRandomFile(dir.path, 'slow.bin', 100);
    const delays: number[] = [];
    const messages: string[] = [];
    try {
      const result = await withRetry(
        () => putFileRange({ agents: keepAliveAgents(2), service: 'datahub', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/b/k`, path: file.path, start: 0, end: 100, signal: new AbortController().signal, stallMs: 10_000, what: 'part 1' }),
        { retries: 3, baseDelayMs: 1, maxDelayMs: 2, onRetry: (e, _n, delay) => (delays.push(delay), messages.push(String(e))) },
      );
      assert.equal(result.etag, '"0123456789abcdef0123456789abcdef"');
    } finally {
      server.close();
    }
    assert.equal(calls, 2);
    assert.deepEqual(delays, [1000]);
    assert.match(messages[0], /the store refused part 1: SlowDown — Please reduce your request rate\. \(RequestId 5D1A\)/);
  });
});
