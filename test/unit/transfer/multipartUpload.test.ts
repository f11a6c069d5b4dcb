// The multipart-upload protocol (api 004) end to end against the emulator: sizes, resume with list,
// restart, cancel → abort, part faults, URL expiry, ETag check, changed files, confirm.
import * as assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { keepAliveAgents } from '../../../src/api/http';
import { silentLogger } from '../../../src/api/logger';
import { MultipartClient } from '../../../src/api/multipart/client';
import type { ConfirmJob, PartEtag, UploadRef } from '../../../src/api/multipart/types';
import { TransferEngine } from '../../../src/transfer/engine';
import { FileJournal, type JournalStore, MemoryJournal } from '../../../src/transfer/journal';
import type { MultipartUploadTuning } from '../../../src/transfer/protocols/multipartPartSender';
import { MultipartUploadProtocol } from '../../../src/transfer/protocols/multipartUpload';
import { multipartCheckpoint, multipartUploadParams } from '../../../src/transfer/protocols/multipartUploadRecord';
import type { TransferRecord } from '../../../src/transfer/types';
import { useCleanup } from '../helpers/cleanup';
import { SMALL_PARTS, useTempDir, useTestEmulator } from '../helpers/emulator';
import { cancelAndSettle, heldRequests, pauseWhen, settleAfter } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';
import { addSimulationUpload } from '../helpers/multipart';
import { until } from '../helpers/until';

const LONG = process.env.DATAHUB_LONG_TESTS === '1';
const CHUNK = 64 * 1024;
const JOB: ConfirmJob = { profile_name: 'Standard', version: 'v252', job_name: '仿真任务', submitter: '提交者', thread_count: '8', priority: '2' };

interface MpState {
  counters: Record<string, number>;
  multipart: {
    uploads: { task_id: string; upload_id: string; state: string; parts: number[]; put_attempts: Record<string, number>; completes: { parts: { part_number: number; etag: string }[]; ok: boolean }[] }[];
    objects: { task_id: string; object_key: string; size: number; md5: string }[];
    confirms: (ConfirmJob & { task_id: string; master_object_key: string; job_id: string })[];
  };
}

/** Counts the `list` calls the protocol makes. */
class SpyClient extends MultipartClient {
  lists = 0;
  override async list(ref: UploadRef, signal?: AbortSignal): Promise<PartEtag[]> {
    this.lists++;
    return super.list(ref, signal);
  }
}

describe('multipart-upload protocol against the emulator', function () {
  this.timeout(60_000);
  const emu = useTestEmulator(['multipart'], SMALL_PARTS);
  const dir = useTempDir('mp-proto-files-');
  const keep = useCleanup();
  const state = () => emu.admin<MpState>('GET', '/_emulator/state');
  const partsDone = (record: TransferRecord) => Object.keys(multipartCheckpoint(record).etags ?? {}).length;

  function mpEngine(tuning: Partial<MultipartUploadTuning> = {}, journal: JournalStore = new MemoryJournal()) {
    const client = new SpyClient({ baseUrl: () => emu.url, logger: silentLogger });
    const engine = new TransferEngine({ journal, logger: silentLogger, concurrency: () => 2, progressIntervalMs: 10 });
    const agents = keepAliveAgents(16);
    const full: MultipartUploadTuning = { partSize: CHUNK, partConcurrency: 4, retries: 6, stallSeconds: 60, ...tuning };
    engine.registerProtocol(new MultipartUploadProtocol({ client, agents, tuning: () => full }));
    keep(engine);
    return { engine, client, agents };
  }

  const add = (engine: TransferEngine, path: string, size: number, job: ConfirmJob = JOB): TransferRecord => addSimulationUpload(engine, path, size, job);

  const settled = (engine: TransferEngine, id: string): Promise<TransferRecord> => engine.whenSettled(id);
  const uploadOf = (s: MpState, record: TransferRecord) => s.multipart.uploads.find((u) => u.upload_id === multipartCheckpoint(record).uploadId);

  for (const [label, size] of [['0 bytes', 0], ['1 byte', 1], ['exactly one part', CHUNK], ['one part + 1', CHUNK + 1], ['many parts', CHUNK * 13 + 777]] as const) {
    it(`uploads ${label}, completes with sorted unquoted ETags and confirms the job with string numbers`, async () => {
      const file = writeRandomFile(dir.path, `size-${size}.bin`, size);
      const { engine } = mpEngine();
      const record = add(engine, file.path, size);
      const final = await settled(engine, record.id);
      assert.equal(final.state, 'completed', final.error);
      const cp = multipartCheckpoint(final);
      assert.equal(cp.completed, true);
      assert.equal(cp.confirmed, true);
      assert.equal(cp.urls, undefined, 'part URLs are dropped once complete');
      const s = await state();
      const object = s.multipart.objects.find((o) => o.task_id === cp.taskId);
      assert.equal(object?.size, size);
      assert.equal(object?.md5, file.md5);
      const parts = Math.max(1, Math.ceil(size / CHUNK));
      const complete = uploadOf(s, final)?.completes.at(-1);
      assert.equal(complete?.ok, true);
      assert.deepEqual(complete?.parts.map((p) => p.part_number), Array.from({ length: parts }, (_, i) => i + 1), 'sorted, each part once');
      assert.ok(complete?.parts.every((p) => /^[0-9a-f]{32}$/.test(p.etag)), 'ETags without quotes');
      const confirm = s.multipart.confirms.find((c) => c.task_id === cp.taskId);
      assert.equal(confirm?.master_object_key, object?.object_key);
      assert.equal(confirm?.thread_count, '8');
      assert.equal(confirm?.priority, '2');
      assert.equal(confirm?.job_name, JOB.job_name);
      assert.equal(cp.jobId, confirm?.job_id);
      assert.equal(final.progress.bytesDone, size);
    });
  }

  it('resumes after a restart with list: re-sends only the parts the server lacks, using its ETags', async () => {
    const journalDir = mkdtempSync(join(dir.path, 'journal-'));
    const parts = 10;
    const file = writeRandomFile(dir.path, 'restart.bin', CHUNK * parts);
    // Three parts land; the fourth is held (unread) when the pause comes.
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', hold_after: 3 });
    const first = mpEngine({ partConcurrency: 1 }, new FileJournal(journalDir));
    const record = add(first.engine, file.path, file.data.length);
    const paused = await pauseWhen(first.engine, record, 'three parts sent', (r) => partsDone(r) === 3);
    assert.equal(paused.state, 'paused');
    const journalled = Object.keys(multipartCheckpoint(paused).etags ?? {}).map(Number);
    assert.equal(journalled.length, 3);
    // As if the process died after a PUT but before its checkpoint: the journal forgets one part the server has.
    delete multipartCheckpoint(paused).etags?.[String(journalled[0])];
    await first.engine.dispose();
    await new FileJournal(journalDir).save(paused);
    await emu.admin('DELETE', '/_emulator/faults');
    const serverParts = uploadOf(await state(), paused)?.parts.length ?? 0;
    const before = (await state()).counters.put_bytes;

    const secondJournal = new FileJournal(journalDir);
    const second = mpEngine({ partConcurrency: 2 }, secondJournal);
    await second.engine.restore();
    second.engine.resume(record.id);
    const final = await settled(second.engine, record.id);
    assert.equal(final.state, 'completed', final.error);
    assert.equal(second.client.lists, 1, 'asked the server with list');
    const s = await state();
    assert.equal(s.counters.put_bytes - before, (parts - serverParts) * CHUNK, 'only the missing parts were sent again');
    assert.equal(uploadOf(s, final)?.put_attempts[String(journalled[0])], 1, 'the part the journal forgot was not re-sent');
    assert.equal(s.multipart.objects.find((o) => o.task_id === multipartCheckpoint(final).taskId)?.md5, file.md5);
  });

  it('starts a new upload when the server no longer knows the paused one', async () => {
    const file = writeRandomFile(dir.path, 'forgotten.bin', CHUNK * 6);
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', hold_after: 2 });
    const { engine, client } = mpEngine({ partConcurrency: 1 });
    const record = add(engine, file.path, file.data.length);
    const paused = await pauseWhen(engine, record, 'two parts sent', (r) => partsDone(r) === 2);
    const old = { ...multipartCheckpoint(paused) };
    await client.abort({ task_id: old.taskId as string, upload_id: old.uploadId as string, object_key: old.objectKey as string });
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await settleAfter(engine, record, 'resume');
    assert.equal(final.state, 'completed', final.error);
    assert.notEqual(multipartCheckpoint(final).uploadId, old.uploadId);
    assert.equal((await state()).multipart.objects.find((o) => o.task_id === multipartCheckpoint(final).taskId)?.md5, file.md5);
  });

  it('cancel does not wait for the parts in flight and aborts the upload on the server', async () => {
    const file = writeRandomFile(dir.path, 'cancel.bin', CHUNK * 8);
    // Every part PUT is held unanswered: only the cancel can end this upload.
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', hold_after: 0 });
    const { engine } = mpEngine({ partConcurrency: 2 });
    const record = add(engine, file.path, file.data.length);
    await heldRequests(emu.admin, 2);
    const final = await cancelAndSettle(engine, record);
    const upload = await until('the upload aborted on the server', async () => {
      const found = uploadOf(await state(), final);
      return found?.state === 'aborted' ? found : undefined;
    });
    assert.equal((await state()).multipart.confirms.some((c) => c.task_id === upload?.task_id), false);
  });

  it('completes through 20 % failing part PUTs (500s, resets, hangs), each part once in complete', async () => {
    const parts = LONG ? 400 : 24;
    const file = writeRandomFile(dir.path, 'faulty.bin', CHUNK * parts + 5);
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', reset_rate: 0.08 });
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', hang_rate: 0.03 });
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', error_rate: 0.09, status: 500 });
    const { engine } = mpEngine({ retries: 30, stallSeconds: 0.5 });
    // Seen from the client, through node's http diagnostics channels: PUTs refused with a 5xx and PUTs that failed.
    let failures = 0;
    const refused = (message: unknown): void => {
      const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
      if (request.method === 'PUT' && (response.statusCode ?? 0) >= 500) failures++;
    };
    const broken = (message: unknown): void => {
      if ((message as { request: ClientRequest }).request.method === 'PUT') failures++;
    };
    subscribe('http.client.response.finish', refused);
    subscribe('http.client.request.error', broken);
    keep({
      dispose: () => {
        unsubscribe('http.client.response.finish', refused);
        unsubscribe('http.client.request.error', broken);
      },
    });
    const record = add(engine, file.path, file.data.length);
    const final = await settled(engine, record.id);
    assert.equal(final.state, 'completed', final.error);
    assert.ok(failures > 0, 'some part PUTs did fail');
    const s = await state();
    const numbers = uploadOf(s, final)?.completes.at(-1)?.parts.map((p) => p.part_number) ?? [];
    assert.equal(numbers.length, parts + 1);
    assert.equal(new Set(numbers).size, numbers.length, 'no part twice');
    assert.equal(s.multipart.objects.find((o) => o.task_id === multipartCheckpoint(final).taskId)?.md5, file.md5);
  });

  it('on expired part URLs asks list, then starts a new upload, and completes', async () => {
    const file = writeRandomFile(dir.path, 'expiring.bin', CHUNK * 5);
    // Every URL issued while the fault is on has expired by the time it is used; once one was refused, URLs live again.
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', url_ttl_s: 0 });
    const expiredBefore = (await state()).counters.url_expired ?? 0;
    const { engine, client } = mpEngine({ partConcurrency: 2, retries: 30 });
    const record = add(engine, file.path, file.data.length);
    await until('an expired URL refused', async () => (((await state()).counters.url_expired ?? 0) > expiredBefore ? true : undefined));
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await settled(engine, record.id);
    assert.equal(final.state, 'completed', final.error);
    const s = await state();
    assert.ok(s.counters.url_expired > expiredBefore, 'URLs did expire');
    assert.ok(client.lists >= 1, 'list was asked before a new init');
    assert.ok(s.multipart.uploads.some((u) => u.state === 'aborted' && u.parts.length === 0), 'the expired upload was aborted');
    assert.equal(s.multipart.objects.find((o) => o.task_id === multipartCheckpoint(final).taskId)?.md5, file.md5);
  });

  it('re-sends a part whose ETag is not the MD5 of the bytes sent', async () => {
    const file = writeRandomFile(dir.path, 'etag.bin', CHUNK * 3);
    const { engine } = mpEngine({ partConcurrency: 1 });
    let tampered = 0;
    // The first part PUT's answer is changed on its way in, before the client reads it (node's http diagnostics
    // channel sees the response first): as if the bytes had been damaged on the way and the store hashed those.
    const tamper = (message: unknown): void => {
      const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
      if (tampered === 0 && request.method === 'PUT' && typeof response.headers.etag === 'string') {
        tampered++;
        response.headers.etag = '"00000000000000000000000000000000"';
      }
    };
    subscribe('http.client.response.finish', tamper);
    keep({ dispose: () => unsubscribe('http.client.response.finish', tamper) });
    const record = add(engine, file.path, file.data.length);
    const final = await settled(engine, record.id);
    assert.equal(final.state, 'completed', final.error);
    assert.equal(tampered, 1);
    const upload = uploadOf(await state(), final);
    assert.equal(upload?.put_attempts['1'], 2, 'part 1 was sent again');
    assert.equal(upload?.put_attempts['2'], 1);
  });

  it('refuses a file that changes during the upload, clearly, and completes nothing', async () => {
    const file = writeRandomFile(dir.path, 'changing.bin', CHUNK * 4);
    // One part lands, the next is held; the file grows meanwhile.
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', hold_after: 1 });
    const { engine } = mpEngine({ partConcurrency: 1 });
    const record = add(engine, file.path, file.data.length);
    await until('one part sent', () => (partsDone(engine.get(record.id) ?? record) === 1 ? true : undefined));
    await heldRequests(emu.admin);
    appendFileSync(file.path, 'more');
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await settled(engine, record.id);
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /changed.*refused/);
    assert.equal((await state()).multipart.objects.some((o) => o.task_id === multipartCheckpoint(final).taskId), false);
  });

  it('refuses to resume a file changed while paused; Retry starts over with the new content', async () => {
    const file = writeRandomFile(dir.path, 'edited.bin', CHUNK * 6);
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', hold_after: 2 });
    const { engine } = mpEngine({ partConcurrency: 1 });
    const record = add(engine, file.path, file.data.length);
    await pauseWhen(engine, record, 'two parts sent', (r) => partsDone(r) === 2);
    writeFileSync(file.path, 'different content');
    const refused = await settleAfter(engine, record, 'resume');
    assert.equal(refused.state, 'failed');
    assert.equal(refused.errorKind, 'source-changed');
    assert.match(refused.error ?? '', /changed.*Start the upload over/);
    const oldUploadId = multipartCheckpoint(refused).uploadId;
    await emu.admin('DELETE', '/_emulator/faults');
    const again = await settleAfter(engine, record, 'retry');
    assert.equal(again.state, 'completed', again.error);
    // The upload of the old content was aborted, not left on the server.
    const uploads = ((await emu.admin<{ multipart: { uploads: { upload_id: string; state: string }[] } }>('GET', '/_emulator/state')).multipart.uploads);
    assert.equal(uploads.find((u) => u.upload_id === oldUploadId)?.state, 'aborted');
    assert.equal((await state()).multipart.objects.find((o) => o.task_id === multipartCheckpoint(again).taskId)?.size, 'different content'.length);
  });

  it('fails clearly when the job is refused, and a retry resumes at confirm without sending parts again', async () => {
    const file = writeRandomFile(dir.path, 'badjob.bin', CHUNK + 10);
    const { engine } = mpEngine();
    const record = add(engine, file.path, file.data.length, { ...JOB, priority: 'high' });
    const failed = await settled(engine, record.id);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error ?? '', /priority/);
    assert.equal(multipartCheckpoint(failed).completed, true);
    multipartUploadParams(record).job.priority = '3';
    // This upload's own PUT attempts, so that no other test's traffic counts.
    const attemptsBefore = uploadOf(await state(), failed)?.put_attempts;
    assert.ok(attemptsBefore && Object.keys(attemptsBefore).length > 0);
    const final = await settleAfter(engine, record, 'retry');
    assert.equal(final.state, 'completed', final.error);
    const s = await state();
    assert.deepEqual(uploadOf(s, final)?.put_attempts, attemptsBefore, 'no part sent again');
    assert.equal(s.multipart.confirms.find((c) => c.task_id === multipartCheckpoint(final).taskId)?.priority, '3');
  });
});
