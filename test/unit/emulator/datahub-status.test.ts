// Emulated Datahub update_status, heartbeat and result: validation naming the field, and what is recorded.
import assert from 'node:assert/strict';
import { envelopeMessage, startTestEmulator, type TestEmulator } from './helpers';

interface SubtaskState {
  status_history: { status: number; at: string }[];
  heartbeats: number;
  last_process: number | null;
  last_heartbeat: { timestamp: number; process: number } | null;
  result: { total_counts: number; success_counts: number } | null;
  result_count: number;
}

describe('emulator · datahub status, heartbeat, result', () => {
  let t: TestEmulator;
  const id = 'sub-status-1';

  before(async () => {
    t = await startTestEmulator(['datahub']);
    await t.call('POST', '/_emulator/subtasks', { subtask_id: id });
  });
  after(() => t.stop());

  const subtask = async (): Promise<SubtaskState> => ((await t.state()).subtasks as Record<string, SubtaskState>)[id];

  it('records the status history in order, with timestamps', async () => {
    for (const status of [1, 2, 1, 5]) {
      const answer = await t.call('POST', '/api/task/update_status', { subtask_id: id, status });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.code, 0);
    }
    const s = await subtask();
    assert.deepEqual(s.status_history.map((h) => h.status), [1, 2, 1, 5]);
    assert.ok(s.status_history.every((h) => !Number.isNaN(Date.parse(h.at))));
  });

  it('counts heartbeats and keeps the last percent', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const process of [10, 55]) assert.equal((await t.call('POST', '/api/task/heartbeat', { subtask_id: id, timestamp: now, process })).status, 200);
    const s = await subtask();
    assert.equal(s.heartbeats, 2);
    assert.equal(s.last_process, 55);
    assert.equal(s.last_heartbeat?.timestamp, now);
  });

  it('records the result and how many times it was posted', async () => {
    assert.equal((await t.call('POST', '/api/task/result', { subtask_id: id, result: { total_counts: 3, success_counts: 2 } })).status, 200);
    let s = await subtask();
    assert.deepEqual(s.result, { total_counts: 3, success_counts: 2 });
    assert.equal(s.result_count, 1);
    assert.equal((await t.call('POST', '/api/task/result', { subtask_id: id, result: { total_counts: 3, success_counts: 3 } })).status, 200);
    s = await subtask();
    assert.equal(s.result_count, 2);
    assert.deepEqual(s.result, { total_counts: 3, success_counts: 3 });
  });

  const now = Math.floor(Date.now() / 1000);
  const invalid: [string, string, Record<string, unknown>, RegExp][] = [
    ['status 3 (not in the document)', '/api/task/update_status', { subtask_id: id, status: 3 }, /^status: must be one of 1 \(Running\), 2 \(Paused\), 4 \(Cancelled\), 5 \(Failed\)/],
    ['status as a string', '/api/task/update_status', { subtask_id: id, status: '1' }, /^status: must be a number/],
    ['missing subtask_id', '/api/task/update_status', { status: 1 }, /^subtask_id: required/],
    ['timestamp in milliseconds', '/api/task/heartbeat', { subtask_id: id, timestamp: Date.now(), process: 1 }, /^timestamp: must be unix seconds/],
    ['fractional timestamp', '/api/task/heartbeat', { subtask_id: id, timestamp: now + 0.5, process: 1 }, /^timestamp: must be an integer/],
    ['process over 100', '/api/task/heartbeat', { subtask_id: id, timestamp: now, process: 101 }, /^process: must be at most 100/],
    ['negative process', '/api/task/heartbeat', { subtask_id: id, timestamp: now, process: -1 }, /^process: must be at least 0/],
    ['missing result', '/api/task/result', { subtask_id: id }, /^result: required/],
    ['missing total_counts', '/api/task/result', { subtask_id: id, result: { success_counts: 1 } }, /^result\.total_counts: required/],
    ['more successes than total', '/api/task/result', { subtask_id: id, result: { total_counts: 1, success_counts: 2 } }, /^result\.success_counts: 2 is more than result\.total_counts/],
  ];
  for (const [name, path, body, pattern] of invalid) {
    it(`refuses ${name} with 400 naming the field`, async () => {
      const answer = await t.call('POST', path, body);
      assert.equal(answer.status, 400);
      assert.match(envelopeMessage(answer), pattern);
    });
  }

  it('refused calls change nothing', async () => {
    const s = await subtask();
    assert.equal(s.heartbeats, 2);
    assert.equal(s.result_count, 2);
    assert.equal(s.status_history.length, 4);
  });

  for (const path of ['/api/task/update_status', '/api/task/heartbeat', '/api/task/result']) {
    it(`${path} refuses an unknown subtask with 404`, async () => {
      const body = { subtask_id: 'ghost', status: 1, timestamp: now, process: 1, result: { total_counts: 0, success_counts: 0 } };
      const answer = await t.call('POST', path, body);
      assert.equal(answer.status, 404);
      assert.match(envelopeMessage(answer), /^subtask_id: no such subtask "ghost"/);
    });
  }

  it('accepts calls with or without a bearer token and counts which (never storing the token)', async () => {
    const auth0 = ((await t.state()).datahub as { auth: { bearer: number; none: number } }).auth;
    await t.call('POST', '/api/task/update_status', { subtask_id: id, status: 1 }, { Authorization: 'Bearer secret-token-123' });
    await t.call('POST', '/api/task/update_status', { subtask_id: id, status: 1 });
    const state = await t.state();
    const auth = (state.datahub as { auth: { bearer: number; none: number; last: string } }).auth;
    assert.equal(auth.bearer - auth0.bearer, 1);
    assert.equal(auth.none - auth0.none, 1);
    assert.equal(auth.last, 'none');
    assert.ok(!JSON.stringify(state).includes('secret-token-123'));
  });
});
