// The file journal: bytes written per part stay constant (a log line per change, compacted), owner-only permissions,
// a record read back after a kill, damaged files moved aside by name.
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileJournal } from '../../../src/transfer/journal';
import type { TransferRecord } from '../../../src/transfer/types';
import { useTempDir } from '../helpers/emulator';

/** An upload of `parts` parts whose checkpoint holds a presigned URL per part, as a Datahub upload's does. */
function uploadRecord(id: string, parts: number): TransferRecord<unknown, { files: Record<string, { urls: Record<string, string>; etags: Record<string, string> }> }> {
  const urls: Record<string, string> = {};
  for (let i = 1; i <= parts; i++) {
    urls[String(i)] = `https://bucket.example.invalid/objects/big.bin?partNumber=${i}&uploadId=0123456789abcdef&AWSAccessKeyId=AKIAEXAMPLE&Expires=1767225600&Signature=${'s'.repeat(28)}`;
  }
  return {
    id,
    protocol: 'datahub-upload',
    direction: 'upload',
    label: 'big.bin',
    state: 'running',
    progress: { bytesDone: 0, bytesTotal: parts * 5 * 1024 * 1024, bytesPerSecond: 0 },
    createdAt: 1,
    params: { subtaskId: 's', files: [{ path: '/x/big.bin', name: 'big.bin', size: parts * 5 * 1024 * 1024, mtimeMs: 1 }] },
    checkpoint: { files: { 'big.bin': { urls, etags: {} } } },
  };
}

/** Saves the record once per part (an ETag and the progress each time, as the upload does); the journal's bytes written. */
async function writeParts(journal: FileJournal, record: ReturnType<typeof uploadRecord>, parts: number): Promise<number> {
  const before = journal.bytesWritten;
  for (let i = 1; i <= parts; i++) {
    record.checkpoint.files['big.bin'].etags[String(i)] = `"${i.toString(16).padStart(32, '0')}"`;
    record.progress = { ...record.progress, bytesDone: i * 5 * 1024 * 1024 };
    await journal.save(record);
  }
  return journal.bytesWritten - before;
}

describe('file journal', () => {
  const temp = useTempDir('journal-');

  it('writes a constant number of bytes per part: 1,000 parts cost about what 100 do per part, far below the record', async function () {
    // A thousand diffs of a 180 KB record: seconds of CPU on a loaded machine.
    this.timeout(120_000);
    const parts = 1000;
    const record = uploadRecord('big-1000', parts);
    const recordBytes = Buffer.byteLength(JSON.stringify(record));
    const journal = new FileJournal(join(temp.path, 'j1000'));
    await journal.save(record);
    const perPart1000 = (await writeParts(journal, record, parts)) / parts;

    const small = uploadRecord('big-100', 100);
    const journal100 = new FileJournal(join(temp.path, 'j100'));
    await journal100.save(small);
    const perPart100 = (await writeParts(journal100, small, 100)) / 100;

    // Rewriting the record after every part (the old journal) costs the whole record, URLs included, per part.
    if (process.env.DATAHUB_JOURNAL_REPORT) console.log(`record ${recordBytes} B; per part ${perPart1000.toFixed(0)} B (1,000 parts), ${perPart100.toFixed(0)} B (100 parts)`);
    assert.ok(recordBytes > 150_000, `the record is ${recordBytes} bytes`);
    assert.ok(perPart1000 < 1024, `${perPart1000.toFixed(0)} bytes per part for a ${recordBytes}-byte record`);
    assert.ok(perPart1000 < perPart100 * 2, `per part: ${perPart1000.toFixed(0)} bytes at 1,000 parts, ${perPart100.toFixed(0)} at 100`);

    const read = await new FileJournal(journal.dir).load(record.id);
    assert.deepEqual(read, JSON.parse(JSON.stringify(record)), 'snapshot + log read back as the record');
  });

  it('creates its folder 0700 and its files 0600, also a folder an older version left readable', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = join(temp.path, 'perms');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const journal = new FileJournal(dir);
    const record = uploadRecord('perm', 3);
    await journal.save(record);
    await writeParts(journal, record, 3);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const files = readdirSync(dir);
    assert.deepEqual(files.sort(), ['perm.json', 'perm.log']);
    for (const file of files) assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600, file);
  });

  it('ignores a last log line cut short by a kill', async () => {
    const dir = join(temp.path, 'cut');
    const journal = new FileJournal(dir);
    const record = uploadRecord('cut', 4);
    await journal.save(record);
    await writeParts(journal, record, 2);
    writeFileSync(join(dir, 'cut.log'), `${readFileSync(join(dir, 'cut.log'), 'utf8')}{"s":99,"o":[`);
    const read = await new FileJournal(dir).load('cut');
    assert.deepEqual(Object.keys((read?.checkpoint as typeof record.checkpoint).files['big.bin'].etags), ['1', '2']);
  });

  it('moves a file that is JSON of the wrong shape to corrupt/, naming it and why, and loads the others', async () => {
    const dir = join(temp.path, 'shape');
    const journal = new FileJournal(dir);
    await journal.save(uploadRecord('good', 1));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ id: 'bad', protocol: 'datahub-upload', state: 'paused', checkpoint: null }));
    writeFileSync(join(dir, 'notjson.json'), '{"id": "notjson",');
    const loaded = await new FileJournal(dir).loadAll();
    assert.deepEqual(loaded.records.map((r) => r.id), ['good']);
    assert.deepEqual(loaded.setAside.map((s) => s.file.split(/[\\/]/).slice(-2)[0]), ['corrupt', 'corrupt']);
    assert.ok(loaded.setAside.some((s) => s.file.endsWith('-bad.json') && /direction/.test(s.reason)), JSON.stringify(loaded.setAside));
    assert.ok(loaded.setAside.some((s) => s.file.endsWith('-notjson.json') && /not JSON/.test(s.reason)), JSON.stringify(loaded.setAside));
    for (const set of loaded.setAside) assert.ok(existsSync(set.file));
    assert.equal(existsSync(join(dir, 'bad.json')), false);
  });
});
