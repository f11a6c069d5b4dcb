// Fuzz: journal contents. Whatever JSON (or garbage) lies in the journal folder, loading and restoring it never
// throws, and the engine never crashes on what it restored.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { FileJournal } from '../../../src/transfer/journal';
import * as v from 'valibot';
import { defineKind, type Protocol } from '../../../src/transfer/types';
import { useTempDir } from '../helpers/emulator';
import { FUZZ_IO_RUNS, fuzzParameters, fuzzTimeoutMs } from '../helpers/fuzz';

const STATES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'];
const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, -1, 1e308, '', '__proto__', [], {}));
/** A record as a damaged or hand-edited journal might hold it: right keys, anything as values (or missing). */
const recordish = fc.record(
  {
    id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), junk),
    protocol: fc.oneof(fc.constant('fuzz'), fc.string({ maxLength: 8 }), junk),
    direction: fc.oneof(fc.constantFrom('upload', 'download'), junk),
    label: fc.oneof(fc.string({ maxLength: 10 }), junk),
    localPath: junk,
    state: fc.oneof(fc.constantFrom(...STATES), junk),
    progress: fc.oneof(fc.record({ bytesDone: junk, bytesTotal: junk, bytesPerSecond: junk }, { requiredKeys: [] }), junk),
    error: junk,
    errorKind: fc.oneof(fc.constant('source-changed'), junk),
    createdAt: fc.oneof(fc.integer(), junk),
    finishedAt: junk,
    params: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), junk, { maxKeys: 3 }), junk),
    checkpoint: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), junk, { maxKeys: 3 }), junk),
  },
  { requiredKeys: [] },
);
/** What a journal file may contain: such a record, any JSON, or text that is not JSON at all. */
const journalFile = fc.oneof(recordish.map((r) => JSON.stringify(r)), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ maxLength: 30 }));

/** A protocol that finishes at once: the engine's own bookkeeping is what is under test. */
const fuzzProtocol: Protocol<unknown, object> = { kind: defineKind('fuzz', 'upload', v.unknown(), v.object({})), run: async () => undefined };

function journalDir(root: string, files: string[]): string {
  const dir = mkdtempSync(join(root, 'journal-'));
  files.forEach((text, i) => writeFileSync(join(dir, `${i}-${String(i).padStart(4, 'x')}.json`), text));
  mkdirSync(join(dir, 'sub.json'));
  return dir;
}

describe('fuzz · journal contents', function () {
  this.timeout(fuzzTimeoutMs(60));
  const temp = useTempDir('datahub-fuzz-journal-');

  it('loading and restoring any journal folder never throws; list and get answer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(journalFile, { maxLength: 6 }), async (files) => {
        const journal = new FileJournal(journalDir(temp.path, files));
        await journal.loadAll();
        const engine = new TransferEngine({ journal, logger: silentLogger, concurrency: () => 2 });
        engine.registerProtocol(fuzzProtocol);
        await engine.restore();
        for (const record of engine.list()) assert.equal(engine.get(record.id), record);
        await engine.dispose();
      }),
      fuzzParameters(FUZZ_IO_RUNS),
    );
  });

  // Issue 11: a record restored from a damaged journal ({"id":"a","protocol":"fuzz","state":"paused","checkpoint":null},
  // or one without a checkpoint) crashed the engine when resumed or retried; such records are now set aside, named.
  it('resuming, retrying, cancelling and clearing what was restored never crashes, every transfer settles, and a misfit is set aside by name', async () => {
    const crashes: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void crashes.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(journalFile, { maxLength: 6 }), async (files) => {
          const journal = new FileJournal(journalDir(temp.path, files));
          const engine = new TransferEngine({ journal, logger: silentLogger, concurrency: () => 2 });
          engine.registerProtocol(fuzzProtocol);
          try {
            const { setAside } = await engine.restore();
            for (const set of setAside) {
              assert.ok(existsSync(set.file), `${set.file} (${set.reason}) is in corrupt/`);
              assert.match(set.file, /[\\/]corrupt[\\/]/);
            }
            for (const record of engine.list()) {
              engine.resume(record.id);
              engine.retry(record.id);
            }
            for (const record of engine.list()) {
              // One that never settles ends the test at its timeout.
              await engine.whenSettled(record);
              engine.cancel(record.id);
            }
            engine.clearFinished();
            await new Promise((r) => setImmediate(r));
            assert.deepEqual(crashes.map(String), []);
          } finally {
            await engine.dispose();
          }
        }),
        // A failing case may wait for a transfer that never settles: report the first one rather than shrink it.
        { ...fuzzParameters(FUZZ_IO_RUNS), endOnFailure: true },
      );
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
