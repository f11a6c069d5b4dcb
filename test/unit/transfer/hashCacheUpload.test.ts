// The hash cache wired into the upload: an unchanged file is not hashed again (another subtask, Start Over, the CLI
// after the extension), a changed one (an edit that restores the mtime) is; small files never touch the cache.
import * as assert from 'node:assert/strict';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileIdentity, isRacy, nowNs } from '../../../src/transfer/fileIdentity';
import { HASH_CACHE_MIN_BYTES } from '../../../src/transfer/hashCache';
import { HASH_CACHE_FILE } from '../../../src/transfer/hashCacheFile';
import { addHashCachePeer, readHashCachePeers } from '../../../src/transfer/hashCachePeers';
import type { DatahubUploadCheckpoint } from '../../../src/transfer/protocols/datahubUpload';
import type { TransferRuntime } from '../../../src/transfer/runtime';
import type { TransferRecord } from '../../../src/transfer/types';
import { SMALL_PARTS, tempDir, useTempDir, useTestEmulator } from '../helpers/emulator';
import { useCleanup } from '../helpers/cleanup';
import { heldRequests, testRuntime } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';

interface EmulatorState {
  objects: { subtask_id: string; file_name: string; md5: string }[];
}

/** Polls the file system's clock (a scratch file's ctime, no sleep) until `path` is old enough not to be racy. */
async function untilSettled(dir: string, path: string): Promise<void> {
  const scratch = join(dir, 'clock-probe');
  const identity = await fileIdentity(path);
  for (;;) {
    writeFileSync(scratch, String(Math.random()));
    const ctime = BigInt((await fileIdentity(scratch)).ctimeNs);
    if (!isRacy(identity, ctime) && !isRacy(identity, nowNs())) return;
  }
}

describe('hash cache in the upload', function () {
  this.timeout(60_000);
  const emu = useTestEmulator(undefined, SMALL_PARTS);
  const dir = useTempDir();
  const keep = useCleanup();
  let n = 0;

  function runtime(cacheFolder: string | undefined, peers: string[] = []): TransferRuntime {
    return keep(testRuntime(emu.url, tempDir('datahub-journal-'), { hashCache: cacheFolder === undefined ? undefined : { folder: cacheFolder, peers } }));
  }

  async function subtask(): Promise<string> {
    const id = `hc-${++n}-${Date.now()}`;
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: id });
    return id;
  }

  /** Uploads `path` to a new subtask and returns the settled record, checking the store has the right MD5. */
  async function upload(rt: TransferRuntime, path: string, md5: string): Promise<TransferRecord<unknown, DatahubUploadCheckpoint>> {
    const id = await subtask();
    const { record } = await rt.startDatahubUpload([path], id);
    const final = await rt.engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
    const state = await emu.admin<EmulatorState>('GET', '/_emulator/state');
    assert.equal(state.objects.find((o) => o.subtask_id === id)?.md5, md5);
    return final;
  }

  const cachedFlag = (record: TransferRecord<unknown, DatahubUploadCheckpoint>): boolean | undefined => Object.values(record.checkpoint.files ?? {})[0]?.md5Cached;

  it('uploads an unchanged file again without a hashing pass: to another subtask, and after Start Over', async () => {
    const rt = runtime(join(dir.path, 'cache-a'));
    const file = writeRandomFile(dir.path, 'again.bin', 2 * 1024 * 1024 + 3);
    await untilSettled(dir.path, file.path);

    assert.equal(cachedFlag(await upload(rt, file.path, file.md5)), false);
    await rt.hashCache?.flush();
    assert.ok(existsSync(join(dir.path, 'cache-a', HASH_CACHE_FILE)));

    assert.equal(cachedFlag(await upload(rt, file.path, file.md5)), true);

    // Start Over: a cancelled upload retried from scratch.
    const id = await subtask();
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 1 });
    const { record } = await rt.startDatahubUpload([file.path], id);
    await heldRequests(emu.admin);
    rt.engine.cancel(record.id);
    assert.equal((await rt.engine.whenSettled(record)).state, 'cancelled');
    await emu.admin('DELETE', '/_emulator/faults');
    rt.engine.retry(record.id);
    const final = await rt.engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
    assert.equal(cachedFlag(final), true);
  });

  it('the CLI after the extension: a cache listed as a peer is read, and the peer list names each folder once', async () => {
    const extensionCache = join(dir.path, 'extension-storage');
    const cliState = join(dir.path, 'cli-state');
    await addHashCachePeer(cliState, extensionCache);
    await addHashCachePeer(cliState, join(dir.path, 'other-window'));
    await addHashCachePeer(cliState, extensionCache);
    assert.deepEqual(await readHashCachePeers(cliState), [join(dir.path, 'other-window'), extensionCache]);

    const file = writeRandomFile(dir.path, 'shared.bin', HASH_CACHE_MIN_BYTES + 1);
    await untilSettled(dir.path, file.path);
    const extension = runtime(extensionCache);
    assert.equal(cachedFlag(await upload(extension, file.path, file.md5)), false);
    await extension.hashCache?.flush();
    const cli = runtime(cliState, await readHashCachePeers(cliState));
    assert.equal(cachedFlag(await upload(cli, file.path, file.md5)), true);
    // And the extension sees what the CLI hashed while it runs (the file changed on disk since it read it).
    const other = writeRandomFile(dir.path, 'cli-first.bin', HASH_CACHE_MIN_BYTES + 5);
    await untilSettled(dir.path, other.path);
    const cliWithExtension = runtime(cliState);
    const extensionReading = runtime(extensionCache, [cliState]);
    assert.equal(cachedFlag(await upload(extensionReading, file.path, file.md5)), true, 'the extension loads its cache');
    assert.equal(cachedFlag(await upload(cliWithExtension, other.path, other.md5)), false);
    await cliWithExtension.hashCache?.flush();
    assert.equal(cachedFlag(await upload(extensionReading, other.path, other.md5)), true);
  });

  it('hashes a changed file again, also when the edit kept the size and restored the mtime, and sends the new bytes', async () => {
    const rt = runtime(join(dir.path, 'cache-c'));
    const path = join(dir.path, 'edited.bin');
    const first = Buffer.alloc(HASH_CACHE_MIN_BYTES + 10, 1);
    writeFileSync(path, first);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    await untilSettled(dir.path, path);
    const { createHash } = await import('node:crypto');
    const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
    assert.equal(cachedFlag(await upload(rt, path, md5(first))), false);
    await rt.hashCache?.flush();

    const second = Buffer.from(first);
    second[12345] = 2;
    writeFileSync(path, second);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    await untilSettled(dir.path, path);
    assert.equal(cachedFlag(await upload(rt, path, md5(second))), false, 'hashed again');
    assert.equal(cachedFlag(await upload(rt, path, md5(second))), true, 'and cached from then on');
  });

  it('a file under the minimum is hashed every time and never written to the cache', async () => {
    const folder = join(dir.path, 'cache-d');
    const rt = runtime(folder);
    const file = writeRandomFile(dir.path, 'small.bin', HASH_CACHE_MIN_BYTES - 1);
    await untilSettled(dir.path, file.path);
    assert.equal(cachedFlag(await upload(rt, file.path, file.md5)), false);
    assert.equal(cachedFlag(await upload(rt, file.path, file.md5)), false);
    await rt.hashCache?.flush();
    assert.equal(existsSync(join(folder, HASH_CACHE_FILE)), false);
  });
});
