// Shutting down is prompt: a best-effort report after a run (status 5, …) stops retrying when the engine is disposed,
// so a CLI whose upload failed against a server that is gone exits instead of waiting out the backoff.
import * as assert from 'node:assert/strict';
import * as v from 'valibot';
import { ApiError } from '../../../src/api/errors';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { MemoryJournal } from '../../../src/transfer/journal';
import { withRetry } from '../../../src/transfer/retry';
import { defineKind, type Protocol } from '../../../src/transfer/types';
import { until } from '../helpers/until';

const refused = (): ApiError => new ApiError('datahub', 503, 503, 'the server is gone', true);

describe('engine shutdown and best-effort reports', () => {
  it('withRetry: giveUp stops further attempts and answers the last error; the attempt in flight is not aborted', async () => {
    const giveUp = new AbortController();
    let attempts = 0;
    const result = withRetry(
      async () => {
        attempts++;
        if (attempts === 2) giveUp.abort();
        throw refused();
      },
      { retries: 1000, giveUp: giveUp.signal, baseDelayMs: 1, maxDelayMs: 1 },
    );
    await assert.rejects(result, /the server is gone/);
    assert.equal(attempts, 2);
  });

  it('withRetry: giveUp during a backoff ends it at once with the last error', async () => {
    const giveUp = new AbortController();
    let attempts = 0;
    const result = withRetry(
      async () => {
        attempts++;
        throw refused();
      },
      // An hour between attempts: only giveUp can end this.
      { retries: 5, giveUp: giveUp.signal, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000, random: () => 1, onRetry: () => giveUp.abort() },
    );
    await assert.rejects(result, /the server is gone/);
    assert.equal(attempts, 1);
  });

  it('dispose() does not wait out the retries of a failure report to a server that is gone', async () => {
    const kind = defineKind('reporting', 'upload', v.object({}), v.object({}));
    let reports = 0;
    const protocol: Protocol<object, object> = {
      kind,
      run: async () => {
        throw new Error('the upload broke');
      },
      // As a protocol reports status 5: the retry policy, with the engine's giveUp.
      onFailed: (_record, _error, { giveUp }) =>
        withRetry(
          async () => {
            reports++;
            throw refused();
          },
          { retries: 1000, giveUp, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000, random: () => 1 },
        ),
    };
    const engine = new TransferEngine({ journal: new MemoryJournal(), logger: silentLogger, concurrency: () => 1 });
    engine.registerProtocol(protocol);
    const record = engine.start(kind, {}, { label: 'r' });
    assert.equal((await engine.whenSettled(record)).state, 'failed');
    await until('the first failure report', () => (reports > 0 ? true : undefined));
    // Without giveUp this waits an hour for the next attempt (the test's timeout ends it first).
    await engine.dispose();
    assert.equal(reports, 1);
  });
});
