// Ownership locks: one owner per transfer; another owner sees who (pid, kind); a dead owner's or an expired lease's
// lock is taken over; a link planted as the lock file is not followed.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { FileJournal } from '../../../src/transfer/journal';
import { processAlive, TransferLocks } from '../../../src/transfer/ownership';
import { useCleanup } from '../helpers/cleanup';
import { useTempDir } from '../helpers/emulator';
import { COUNTING, SteppedProtocol } from '../helpers/steps';
import { until } from '../helpers/until';

/** The pid of a process that has ended (a child that ran and exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  assert.ok(pid > 0 && !processAlive(pid));
  return pid;
}

describe('transfer ownership locks', () => {
  const temp = useTempDir('locks-');
  const keep = useCleanup();
  const locks = (kind: 'window' | 'cli', leaseMs?: number): TransferLocks => {
    const l = new TransferLocks({ dir: temp.path, kind, leaseMs });
    keep({ dispose: () => l.releaseAll() });
    return l;
  };

  it('gives a transfer to one owner; another is told its pid and kind until the first lets it go', async () => {
    const a = locks('window');
    const b = locks('cli');
    assert.equal(await a.acquire('t1'), undefined);
    assert.ok(a.holds('t1'));
    assert.deepEqual(await b.acquire('t1'), { pid: process.pid, kind: 'window' });
    assert.deepEqual(await b.owner('t1'), { pid: process.pid, kind: 'window' });
    assert.equal(b.holds('t1'), false);
    await a.release('t1');
    assert.equal(existsSync(join(temp.path, 't1.lock')), false);
    assert.equal(await b.acquire('t1'), undefined);
    assert.deepEqual(await a.owner('t1'), { pid: process.pid, kind: 'cli' });
  });

  it('takes over the lock of an owner whose process is gone', async () => {
    writeFileSync(join(temp.path, 't2.lock'), JSON.stringify({ pid: deadPid(), host: hostname(), token: 'gone', kind: 'cli' }));
    const a = locks('window');
    assert.equal(await a.owner('t2'), undefined, 'a dead owner owns nothing');
    assert.equal(await a.acquire('t2'), undefined);
    assert.equal(JSON.parse(readFileSync(join(temp.path, 't2.lock'), 'utf8')).token, a.token);
  });

  it('takes over a lock whose lease ran out (an owner on another host, or asleep), and renews its own', async () => {
    const file = join(temp.path, 't3.lock');
    writeFileSync(file, JSON.stringify({ pid: process.pid, host: 'elsewhere', token: 'other', kind: 'window' }));
    const a = locks('cli', 60_000);
    assert.deepEqual(await a.acquire('t3'), { pid: process.pid, kind: 'window' }, 'a fresh lease is respected');
    const old = new Date(Date.now() - 120_000);
    utimesSync(file, old, old);
    assert.equal(await a.acquire('t3'), undefined);
    // Held with a short lease: the owner renews it, so its mtime moves forward.
    const b = locks('window', 300);
    assert.equal(await b.acquire('t4'), undefined);
    const past = new Date(Date.now() - 10_000);
    utimesSync(join(temp.path, 't4.lock'), past, past);
    await until('the lease renewed', () => (Date.now() - statSync(join(temp.path, 't4.lock')).mtimeMs < 5_000 ? true : undefined));
    // Read with a lease of a minute: what is checked is that the renewed lock still names its owner, not how soon the
    // read follows the renewal (on a loaded machine, more than the 300 ms lease can pass in between).
    assert.deepEqual(await locks('cli', 60_000).owner('t4'), { pid: process.pid, kind: 'window' });
  });

  it('does not follow a symbolic link planted as the lock file', async function () {
    if (process.platform === 'win32') this.skip();
    const target = join(temp.path, 'victim.txt');
    writeFileSync(target, 'keep me');
    symlinkSync(target, join(temp.path, 't5.lock'));
    const a = locks('cli');
    // The link is a lock nobody can read: stale, so it is removed (not written through) and replaced.
    assert.equal(await a.acquire('t5'), undefined);
    assert.equal(readFileSync(target, 'utf8'), 'keep me');
  });

  it('an engine shows a transfer another engine runs as elsewhere: never resumed, cancelled or cleared there', async () => {
    const journalDir = join(temp.path, 'shared');
    const protocol = new SteppedProtocol(10).holdAt(3);
    const owner = new TransferEngine({ journal: new FileJournal(journalDir), logger: silentLogger, concurrency: () => 1, locks: new TransferLocks({ dir: journalDir, kind: 'cli' }) });
    owner.registerProtocol(protocol);
    keep(owner);
    const record = owner.start(COUNTING, {}, { label: 'shared' });
    await until('step 2 journalled', () => (record.checkpoint.step === 2 ? true : undefined));

    const other = new TransferEngine({ journal: new FileJournal(journalDir), logger: silentLogger, concurrency: () => 1, locks: new TransferLocks({ dir: journalDir, kind: 'window' }) });
    other.registerProtocol(new SteppedProtocol(10));
    keep(other);
    const { interrupted } = await other.restore();
    assert.deepEqual(interrupted, [], 'a transfer running elsewhere is not interrupted');
    const seen = other.get(record.id);
    assert.deepEqual(seen?.elsewhere, { pid: process.pid, kind: 'cli' });
    other.resume(record.id);
    other.cancel(record.id);
    assert.equal(other.clearFinished(), 0);
    assert.equal(other.get(record.id)?.state, 'running', 'left as its owner has it');
    assert.equal(record.state, 'running');

    // Once the owner is gone, the transfer comes back as interrupted and may be taken over.
    await owner.dispose();
    await other.refreshForeign();
    assert.equal(other.get(record.id)?.elsewhere, undefined);
    assert.equal(other.get(record.id)?.state, 'paused');
    other.resume(record.id);
    const done = await other.whenSettled(record.id);
    assert.equal(done.state, 'completed');
  });
});
