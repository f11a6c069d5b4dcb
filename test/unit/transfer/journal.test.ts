// The file journal: bytes written per part stay constant (a log line per change, compacted), owner-only permissions,
// a record read back after a kill, damaged files moved aside by name.
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
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

interface FolderCheckpoint {
  files: Record<string, { md5?: string; uploadId?: string; urls?: Record<string, string>; etags?: Record<string, string>; done?: boolean }>;
}

/** A folder upload of `count` small files, its params.files wrapped so that every read of an entry is counted. */
function folderRecord(id: string, count: number): { record: TransferRecord<{ subtaskId: string; files: { path: string; name: string; size: number; mtimeMs: number }[] }, FolderCheckpoint>; entriesRead: () => number } {
  let reads = 0;
  const files = [];
  for (let i = 0; i < count; i++) files.push({ path: `/data/folder/batch-${i % 8}/file-${i}.bin`, name: `folder/batch-${i % 8}/file-${i}.bin`, size: 4096, mtimeMs: 1_700_000_000_000 + i });
  const counted = new Proxy(files, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return {
    record: {
      id,
      protocol: 'datahub-upload',
      direction: 'upload',
      label: 'folder',
      state: 'running',
      progress: { bytesDone: 0, bytesTotal: count * 4096, bytesPerSecond: 0 },
      createdAt: 1,
      params: { subtaskId: 's', files: counted },
      checkpoint: { files: {} },
    },
    entriesRead: () => reads,
  };
}

/**
 * Uploads each file as a folder upload's protocol records it (MD5, init with its URL, done), every save naming the file's
 * checkpoint and params entry; the journal's bytes written and the params entries its saves read, per file.
 */
async function writeFolder(journal: FileJournal, count: number): Promise<{ bytesPerFile: number; readsPerFile: number; record: TransferRecord }> {
  const { record, entriesRead } = folderRecord(`folder-${count}`, count);
  await journal.save(record);
  const bytes0 = journal.bytesWritten;
  const reads0 = entriesRead();
  for (let i = 0; i < count; i++) {
    const file = record.params.files[i];
    const changed = [['checkpoint', 'files', file.name], ['params', 'files', i]];
    const cp: FolderCheckpoint['files'][string] = (record.checkpoint.files[file.name] = {});
    cp.md5 = i.toString(16).padStart(32, '0');
    await journal.save(record, changed);
    cp.uploadId = `upload_${i.toString(16).padStart(24, '0')}`;
    cp.urls = { 1: `https://bucket.example.invalid/_store/datahub/${cp.uploadId}/${file.name}?AWSAccessKeyId=AKIAEXAMPLE&Expires=1767225600&Signature=${'s'.repeat(28)}` };
    cp.etags = {};
    await journal.save(record, changed);
    cp.etags['1'] = `"${cp.md5}"`;
    record.progress = { ...record.progress, bytesDone: (i + 1) * 4096 };
    await journal.save(record, changed);
    cp.done = true;
    delete cp.urls;
    await journal.save(record, changed);
  }
  await journal.flush();
  return { bytesPerFile: (journal.bytesWritten - bytes0) / count, readsPerFile: (entriesRead() - reads0) / count, record };
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

  it('group-commits the saves made while a write is in flight: 200 saves land in a handful of writes, each durable once it resolves', async () => {
    const journal = new FileJournal(join(temp.path, 'group'));
    const { record } = folderRecord('group-200', 200);
    await journal.save(record);
    const writes0 = journal.writes;
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      const file = record.params.files[i];
      record.checkpoint.files[file.name] = { md5: i.toString(16).padStart(32, '0'), done: true };
      saves.push(journal.save(record, [['checkpoint', 'files', file.name], ['params', 'files', i]]));
    }
    // Each save resolves only once its own line is on disk: a process reading the folder then sees that file done.
    await saves[99];
    const midway = await new FileJournal(journal.dir).load(record.id);
    const seen = Object.values((midway?.checkpoint as FolderCheckpoint).files).filter((f) => f.done).length;
    assert.ok(seen >= 100, `after the 100th save resolved, a fresh read shows ${seen} files done`);
    await Promise.all(saves);
    // The first line is written alone; the 199 saved behind it join one append (the old journal: one append each).
    assert.ok(journal.writes - writes0 <= 3, `${journal.writes - writes0} writes for 200 saves`);
    const read = await new FileJournal(journal.dir).load(record.id);
    assert.deepEqual(read, JSON.parse(JSON.stringify(record)), 'snapshot + log read back as the record');
  });

  it('keeps no log file open once its saves have landed (the log is held open only while saves follow each other)', async function () {
    if (process.platform !== 'linux') this.skip();
    const dir = join(temp.path, 'reopen');
    const journal = new FileJournal(dir);
    const { record } = folderRecord('reopen-3', 3);
    await journal.save(record);
    const saves = record.params.files.map((file, i) => {
      record.checkpoint.files[file.name] = { done: true };
      return journal.save(record, [['checkpoint', 'files', file.name], ['params', 'files', i]]);
    });
    await Promise.all(saves);
    await journal.flush();
    const logFile = join(dir, 'reopen-3.log');
    assert.ok(existsSync(logFile), 'the saves were appended to the log');
    const open = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === logFile;
      } catch {
        return false;
      }
    });
    assert.deepEqual(open, [], 'no descriptor left open on the log');
    assert.deepEqual(await new FileJournal(dir).load(record.id), JSON.parse(JSON.stringify(record)));
  });

  it("writes a folder upload's per-file progress in constant size: bytes and record entries read per file are the same for 2,000 files as for 100", async function () {
    this.timeout(120_000);
    const small = await writeFolder(new FileJournal(join(temp.path, 'f100')), 100);
    const journal = new FileJournal(join(temp.path, 'f2000'));
    const large = await writeFolder(journal, 2000);
    if (process.env.DATAHUB_JOURNAL_REPORT) console.log(`per file: ${large.bytesPerFile.toFixed(0)} B, ${large.readsPerFile} entries read (2,000 files); ${small.bytesPerFile.toFixed(0)} B (100 files)`);
    // A save that compared or copied the whole record would read every entry of params.files each time (2,000 per save).
    assert.ok(large.readsPerFile <= 16, `${large.readsPerFile} params entries read per file of 2,000`);
    assert.ok(small.readsPerFile <= 16, `${small.readsPerFile} params entries read per file of 100`);
    // Log lines of the file's own entry, and now and then a compaction (amortised: at most the log's size again).
    assert.ok(large.bytesPerFile < 2 * small.bytesPerFile + 256, `per file: ${large.bytesPerFile.toFixed(0)} bytes at 2,000 files, ${small.bytesPerFile.toFixed(0)} at 100`);
    assert.ok(large.bytesPerFile < 4096, `${large.bytesPerFile.toFixed(0)} bytes per file`);

    const read = await new FileJournal(journal.dir).load(large.record.id);
    assert.deepEqual(read, JSON.parse(JSON.stringify(large.record)), 'snapshot + log read back as the record');
  });

  it('catches up, in a save that names nothing, with changes earlier saves did not name', async () => {
    const journal = new FileJournal(join(temp.path, 'unnamed'));
    const { record } = folderRecord('unnamed', 3);
    await journal.save(record);
    record.checkpoint.files['folder/batch-0/file-0.bin'] = { md5: 'a'.repeat(32) };
    record.params.files[2].size = 10;
    await journal.save(record, [['checkpoint', 'files', 'folder/batch-0/file-0.bin']]);
    const named = await new FileJournal(journal.dir).load(record.id);
    assert.equal((named?.params as { files: { size: number }[] }).files[2].size, 4096, 'a change no save named is not written yet');
    await journal.save(record);
    const read = await new FileJournal(journal.dir).load(record.id);
    assert.deepEqual(read, JSON.parse(JSON.stringify(record)));
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
