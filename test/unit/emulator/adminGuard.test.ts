// The emulator's admin API answers only loopback callers (Host, Origin, JSON bodies), reads input files only from
// its data folder or an allowed one, and answers 413 to an oversized body instead of dropping the connection.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { rawRequest, type RawAnswer } from './helpers';

describe('emulator · admin API hardening', function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let dataDir: string;
  let outside: string;
  let allowed: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'datahub-guard-data-'));
    outside = mkdtempSync(join(tmpdir(), 'datahub-guard-outside-'));
    allowed = mkdtempSync(join(tmpdir(), 'datahub-guard-allowed-'));
    writeFileSync(join(outside, 'private.txt'), 'the user\'s private file');
    writeFileSync(join(allowed, 'ok.txt'), 'allowed input');
    mkdirSync(join(dataDir, 'inputs'), { recursive: true });
    writeFileSync(join(dataDir, 'inputs', 'in-data.txt'), 'inside the data folder');
    symlinkSync(join(outside, 'private.txt'), join(dataDir, 'inputs', 'link-out.txt'));
    emu = await startEmulator({ port: 0, dataDir, backends: ['datahub'], allowInputDirs: [allowed] });
  });
  after(async () => {
    await emu.close();
    for (const d of [dataDir, outside, allowed]) rmSync(d, { recursive: true, force: true });
  });

  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> =>
    rawRequest(method, `${emu.url}${path}`, body === undefined ? undefined : Buffer.from(body), headers);
  const json = { 'Content-Type': 'application/json' };
  const subtask = (id: string, input: unknown): Promise<RawAnswer> => call('POST', '/_emulator/subtasks', json, JSON.stringify({ subtask_id: id, input_file: input }));

  it('accepts the loopback names with the right port', async () => {
    for (const host of [`127.0.0.1:${emu.port}`, `localhost:${emu.port}`, `LOCALHOST:${emu.port}`, `[::1]:${emu.port}`]) {
      assert.equal((await call('GET', '/_emulator/health', { Host: host })).status, 200, host);
    }
  });

  it('refuses a foreign Host (DNS rebinding) or another port with 403', async () => {
    for (const host of [`evil.example:${emu.port}`, 'evil.example', `127.0.0.1:${emu.port + 1}`, `127.0.0.1.evil.example:${emu.port}`]) {
      const answer = await call('GET', '/_emulator/state', { Host: host });
      assert.equal(answer.status, 403, `Host "${host}"`);
      assert.match(answer.body.toString(), /Host/);
    }
  });

  it('refuses a request with no Host header (HTTP/1.0)', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(emu.port, '127.0.0.1', () => socket.end('GET /_emulator/state HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 403 /);
  });

  it('refuses a foreign or opaque Origin with 403, and accepts its own', async () => {
    for (const origin of ['http://evil.example', `http://evil.example:${emu.port}`, 'null', `https://127.0.0.1:${emu.port}`]) {
      const answer = await call('POST', '/_emulator/reset', { Origin: origin });
      assert.equal(answer.status, 403, `Origin "${origin}"`);
      assert.match(answer.body.toString(), /Origin/);
    }
    assert.equal((await call('GET', '/_emulator/health', { Origin: `http://localhost:${emu.port}` })).status, 200);
  });

  it('refuses a body that is not declared as JSON with 415 (text/plain is what a page can send without asking)', async () => {
    const body = JSON.stringify({ route: '*', error_rate: 1 });
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await call('POST', '/_emulator/faults', { 'Content-Type': type }, body);
      assert.equal(answer.status, 415, type);
    }
    const untyped = await call('POST', '/_emulator/faults', {}, body);
    assert.equal(untyped.status, 415);
    const state = JSON.parse((await call('GET', '/_emulator/state')).body.toString()) as { faults: unknown[] };
    assert.deepEqual(state.faults, [], 'no fault was added');
    assert.equal((await call('POST', '/_emulator/faults', { 'Content-Type': 'application/json; charset=utf-8' }, body)).status, 200);
    assert.equal((await call('DELETE', '/_emulator/faults')).status, 200);
  });

  it('leaves the backends themselves alone (any Host reaches a presign)', async () => {
    const answer = await call('GET', '/api/task/download/presign?subtask_id=nope', { Host: `evil.example:${emu.port}` });
    assert.notEqual(answer.status, 403);
  });

  it('reads input_file only inside the data folder or an --allow-input-dir folder', async () => {
    const refused = await subtask('guard-1', { path: join(outside, 'private.txt'), name: 'x.txt' });
    assert.equal(refused.status, 403, refused.body.toString());
    assert.match(refused.body.toString(), /outside the emulator's data folder.*--allow-input-dir/);
    assert.equal((await subtask('guard-2', join(outside, 'private.txt'))).status, 403);
    assert.equal((await subtask('guard-3', { path: join(dataDir, 'inputs', '..', '..', outside.split('/').pop() ?? '', 'private.txt') })).status, 403);
    assert.equal((await subtask('guard-4', { path: join(dataDir, 'inputs', 'link-out.txt') })).status, 403, 'a link out of the data folder');
    assert.equal((await subtask('guard-5', { path: join(dataDir, 'inputs', 'in-data.txt') })).status, 201);
    assert.equal((await subtask('guard-6', { path: join(allowed, 'ok.txt') })).status, 201);
    assert.equal((await subtask('guard-7', { name: 'gen.bin', size: 10 })).status, 201, 'generated inputs need no path');
  });

  it('answers 413 to an oversized body instead of resetting the connection', async () => {
    const huge = `{"route":"${'x'.repeat(17 * 1024 * 1024)}"}`;
    const answer = await call('POST', '/_emulator/faults', json, huge);
    assert.equal(answer.status, 413);
    assert.match(answer.body.toString(), /too large/);
    assert.equal((await call('GET', '/_emulator/health')).status, 200, 'the emulator still answers');
  });
});
