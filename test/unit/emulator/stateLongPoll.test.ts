// GET /_emulator/state?since=N is a long-poll: answered at once when the state moved past N, else when a request
// changes it or when time alone does (a Pandora run's end); the e2e tests wait on it instead of polling on a timer.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { StateChanges } from '../../../emulator/stateChanges';

interface State {
  state_version: number;
  faults: unknown[];
  pandora?: { jobs: Record<string, { runs: { runId: number; status: string }[] }> };
}

describe('emulator · state long-poll', function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let dataDir: string;
  const TOKEN = 'Pandora long-poll-token';

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'datahub-longpoll-'));
    emu = await startEmulator({ port: 0, dataDir, backends: ['datahub', 'pandora'], seed: true });
  });
  after(async () => {
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const admin = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await fetch(`${emu.url}${path}`, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.ok(res.ok, `${method} ${path} → ${res.status}: ${await res.clone().text()}`);
    return res;
  };
  const state = async (query = ''): Promise<State> => (await (await admin('GET', `/_emulator/state${query}`)).json()) as State;

  it('answers at once when the state already moved past `since`', async () => {
    const before = await state();
    await admin('POST', '/_emulator/faults', { route: 'datahub_status', error_rate: 0 });
    // wait_ms is the longest the test's own timeout allows: the answer must come from the change, not the timer.
    const after = await state(`?since=${before.state_version}&wait_ms=30000`);
    assert.ok(after.state_version > before.state_version);
    await admin('DELETE', '/_emulator/faults');
  });

  it('wakes a waiting long-poll when a request changes the state', async () => {
    const before = await state();
    const waiting = state(`?since=${before.state_version}&wait_ms=30000`);
    await admin('POST', '/_emulator/faults', { route: 'datahub_status', error_rate: 0 });
    const after = await waiting;
    assert.ok(after.state_version > before.state_version, 'the long-poll answered with a newer version');
    assert.equal(after.faults.length, 1, 'and with the state the request made');
    await admin('DELETE', '/_emulator/faults');
  });

  it('reads do not move the version, so a long-poll with nothing happening is answered only when its wait ends', async () => {
    const first = await state();
    await state();
    const unchanged = await state(`?since=${first.state_version}&wait_ms=1`);
    assert.equal(unchanged.state_version, first.state_version);
  });

  it('wakes when a Pandora run ends by itself, with no request', async () => {
    await admin('POST', '/_emulator/pandora/config', { tokens: [TOKEN], runMs: 300 });
    const started = await fetch(`${emu.url}/v2/jobs/daily_traffic/actions/start`, { method: 'POST', headers: { Authorization: TOKEN, 'Content-Type': 'application/json' }, body: JSON.stringify({ params: [] }) });
    assert.equal(started.status, 200, await started.clone().text());
    const { runId } = (await started.json()) as { runId: number };
    const running = await state();
    assert.equal(running.pandora?.jobs.daily_traffic.runs.find((r) => r.runId === runId)?.status, 'Running');
    const ended = await state(`?since=${running.state_version}&wait_ms=30000`);
    assert.equal(ended.state_version, running.state_version, 'no request changed it');
    assert.equal(ended.pandora?.jobs.daily_traffic.runs.find((r) => r.runId === runId)?.status, 'Successful');
  });

  it('refuses a `since` that is not a whole number', async () => {
    const res = await fetch(`${emu.url}/_emulator/state?since=1e3`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /since: expected a whole number/);
  });
});

describe('emulator · StateChanges', () => {
  it('close() answers every waiting long-poll', async () => {
    const changes = new StateChanges();
    const waits = [changes.waitForChange(0, 60_000), changes.waitForChange(0, 60_000)];
    changes.close();
    await Promise.all(waits);
    assert.equal(changes.version, 1);
  });
});
