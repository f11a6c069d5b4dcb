// The multipart-upload protocol (api 004) follows the server's part plan (start_byte/end_byte of each part from
// init) rather than its own, also across a restart; plans that cannot upload the file are refused, clearly.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { keepAliveAgents } from '../../../src/api/http';
import { silentLogger } from '../../../src/api/logger';
import { MultipartClient } from '../../../src/api/multipart/client';
import { partPlanProblem } from '../../../src/api/multipart/plan';
import type { ConfirmJob, InitPart } from '../../../src/api/multipart/types';
import { TransferEngine } from '../../../src/transfer/engine';
import { FileJournal, type JournalStore, MemoryJournal } from '../../../src/transfer/journal';
import type { MultipartUploadTuning } from '../../../src/transfer/protocols/multipartPartSender';
import { MultipartUploadProtocol } from '../../../src/transfer/protocols/multipartUpload';
import { multipartCheckpoint } from '../../../src/transfer/protocols/multipartUploadRecord';
import type { TransferRecord } from '../../../src/transfer/types';
import { SMALL_PARTS, tempDir, useTempDir, useTestEmulator } from '../helpers/emulator';
import { writeRandomFile } from '../helpers/files';
import { addSimulationUpload } from '../helpers/multipart';
import { until } from '../helpers/until';

const JOB: ConfirmJob = { profile_name: 'Standard', version: 'v252', job_name: 'plan', submitter: 'test', thread_count: '4', priority: '1' };
const ASKED = 64 * 1024;

interface MpState {
  counters: Record<string, number>;
  multipart: {
    uploads: { task_id: string; upload_id: string; chunk_size: number; total_chunks: number; put_attempts: Record<string, number>; completes: { parts: { part_number: number }[]; ok: boolean }[] }[];
    objects: { task_id: string; size: number; md5: string }[];
    confirms: { task_id: string }[];
  };
}

const part = (n: number, start: number, end: number, extra: Partial<InitPart> = {}): InitPart => ({ part_number: n, upload_url: `http://x/${n}`, start_byte: start, end_byte: end, size: end - start, ...extra });

describe('multipart-upload follows the server\'s part plan', function () {
  this.timeout(60_000);
  const emu = useTestEmulator(['multipart'], SMALL_PARTS);
  const dir = useTempDir('mp-plan-');
  const state = () => emu.admin<MpState>('GET', '/_emulator/state');
  afterEach(() => emu.admin('POST', '/_emulator/multipart', { part_sizes: null }));

  function mpEngine(journal: JournalStore = new MemoryJournal(), tuning: Partial<MultipartUploadTuning> = {}) {
    const client = new MultipartClient({ baseUrl: () => emu.url, logger: silentLogger });
    const engine = new TransferEngine({ journal, logger: silentLogger, concurrency: () => 1, progressIntervalMs: 10 });
    const full: MultipartUploadTuning = { partSize: ASKED, partConcurrency: 3, retries: 4, stallSeconds: 60, ...tuning };
    engine.registerProtocol(new MultipartUploadProtocol({ client, agents: keepAliveAgents(8), tuning: () => full }));
    return engine;
  }

  const add = (engine: TransferEngine, path: string, size: number): TransferRecord => addSimulationUpload(engine, path, size, JOB);

  async function uploadWithPlan(partSizes: number[], size: number, expected: number[]): Promise<void> {
    await emu.admin('POST', '/_emulator/multipart', { part_sizes: partSizes });
    const file = writeRandomFile(dir.path, `plan-${partSizes.join('-')}.bin`, size);
    const engine = mpEngine();
    const final = await engine.whenSettled(add(engine, file.path, size));
    assert.equal(final.state, 'completed', final.error);
    const cp = multipartCheckpoint(final);
    assert.equal(cp.partSize, ASKED, 'the part size asked for stays ours');
    assert.deepEqual(cp.plan?.map((p) => p.end_byte - p.start_byte), expected, 'the journal keeps the server\'s plan');
    const s = await state();
    const upload = s.multipart.uploads.find((u) => u.upload_id === cp.uploadId);
    assert.equal(upload?.chunk_size, ASKED);
    assert.equal(upload?.total_chunks, expected.length);
    assert.deepEqual(upload?.completes.at(-1)?.parts.map((p) => p.part_number), expected.map((_, i) => i + 1));
    assert.ok(Object.values(upload?.put_attempts ?? {}).every((n) => n === 1), 'each part sent once');
    assert.equal(s.multipart.objects.find((o) => o.task_id === cp.taskId)?.md5, file.md5);
    assert.ok(s.multipart.confirms.some((c) => c.task_id === cp.taskId), 'the job was confirmed');
    assert.equal(final.progress.bytesDone, size);
    await engine.dispose();
  }

  it('uploads with the server\'s own part size when it differs from the chunk_size asked for', async () => {
    await uploadWithPlan([100_000], 350_000, [100_000, 100_000, 100_000, 50_000]);
  });

  it('uploads with uneven parts (each part\'s own start_byte and end_byte)', async () => {
    await uploadWithPlan([10_000, 70_000, 30_000], 200_000, [10_000, 70_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('resumes with the plan it journalled, even when a new init would plan otherwise', async () => {
    await emu.admin('POST', '/_emulator/multipart', { part_sizes: [40_000] });
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', latency_ms: 100 });
    const journalDir = tempDir('mp-plan-journal-');
    const file = writeRandomFile(dir.path, 'plan-resume.bin', 400_000);
    const first = mpEngine(new FileJournal(journalDir), { partConcurrency: 1 });
    const record = add(first, file.path, file.data.length);
    await until('three parts acknowledged', () => (Object.keys(multipartCheckpoint(first.get(record.id) ?? record).etags ?? {}).length >= 3 ? true : undefined));
    first.pause(record.id);
    const paused = await first.whenSettled(record);
    assert.equal(paused.state, 'paused');
    const acknowledged = Object.keys(multipartCheckpoint(paused).etags ?? {});
    await first.dispose();
    await emu.admin('DELETE', '/_emulator/faults');
    await emu.admin('POST', '/_emulator/multipart', { part_sizes: null });
    const uploadsBefore = (await state()).multipart.uploads.length;

    const secondJournal = new FileJournal(journalDir);
    const second = mpEngine(secondJournal);
    await second.restore();
    second.resume(record.id);
    const final = await second.whenSettled(record.id);
    assert.equal(final.state, 'completed', final.error);
    const s = await state();
    assert.equal(s.multipart.uploads.length, uploadsBefore, 'no new init: the journalled plan and upload were kept');
    const upload = s.multipart.uploads.find((u) => u.upload_id === multipartCheckpoint(final).uploadId);
    assert.equal(upload?.total_chunks, 10);
    // A PUT cut by the pause may be sent again; the parts acknowledged before it are not.
    assert.deepEqual(acknowledged.map((n) => upload?.put_attempts[n]), acknowledged.map(() => 1), 'acknowledged parts were not sent again');
    assert.deepEqual(Object.keys(upload?.put_attempts ?? {}).map(Number).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'the resume sent the server\'s plan of 10 parts, not ours');
    assert.equal(s.multipart.objects.find((o) => o.task_id === multipartCheckpoint(final).taskId)?.md5, file.md5);
    await second.dispose();
    await secondJournal.remove(record.id);
    rmSync(journalDir, { recursive: true, force: true });
  });

  it('refuses only plans that cannot upload the file, naming why', () => {
    assert.equal(partPlanProblem([part(1, 0, 10), part(2, 10, 25)], 25), undefined);
    assert.equal(partPlanProblem([part(2, 10, 25), part(1, 0, 10)], 25), undefined, 'any order: sorted by part_number');
    assert.equal(partPlanProblem([part(1, 0, 10), part(5, 10, 25)], 25), undefined, 'part numbers need not follow each other');
    assert.equal(partPlanProblem([part(1, 0, 0)], 0), undefined, 'an empty file is one empty part');
    assert.match(partPlanProblem([], 5) ?? '', /no parts/);
    assert.match(partPlanProblem([part(0, 0, 5)], 5) ?? '', /start at 1/);
    assert.match(partPlanProblem([part(1, 0, 5), part(1, 5, 9)], 9) ?? '', /twice/);
    assert.match(partPlanProblem([part(1, 0, 5), part(2, 6, 9)], 9) ?? '', /starts at byte 6.*gap or an overlap/);
    assert.match(partPlanProblem([part(1, 0, 5), part(2, 4, 9)], 9) ?? '', /gap or an overlap/);
    assert.match(partPlanProblem([part(1, 1, 9)], 9) ?? '', /starts at byte 1/);
    assert.match(partPlanProblem([part(1, 0, 5)], 9) ?? '', /end at byte 5, the file has 9/);
    assert.match(partPlanProblem([part(1, 0, 5), part(2, 5, 5), part(3, 5, 9)], 9) ?? '', /part 2 is empty/);
    assert.match(partPlanProblem([part(1, 0, 9, { size: 8 })], 9) ?? '', /size 8/);
  });
});
