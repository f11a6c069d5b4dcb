// Retry policy: transient errors are retried with backoff, others are not, and cancellation stops at once.
import * as assert from 'node:assert/strict';
import { ApiError } from '../../../src/api/errors';
import { backoffDelay, isTransient, withRetry } from '../../../src/transfer/retry';
import { until } from '../helpers/until';

describe('retry', () => {
  it('treats network errors, 5xx, 408 and 429 as transient, 4xx as final', () => {
    assert.equal(isTransient(new ApiError('datahub', 500, 500, 'x')), true);
    assert.equal(isTransient(new ApiError('datahub', 503, 503, 'x')), true);
    assert.equal(isTransient(new ApiError('datahub', 429, 429, 'x')), true);
    assert.equal(isTransient(new ApiError('datahub', 408, 408, 'x')), true);
    assert.equal(isTransient(new ApiError('datahub', 400, 400, 'x')), false);
    assert.equal(isTransient(new ApiError('datahub', 404, 40401, 'x')), false);
    assert.equal(isTransient(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), true);
  });

  it('grows the backoff ceiling exponentially and caps it', () => {
    assert.equal(backoffDelay(1, 100, 1000, () => 0.999), 99);
    assert.equal(backoffDelay(3, 100, 1000, () => 0.999), 399);
    assert.equal(backoffDelay(10, 100, 1000, () => 0.999), 999);
    assert.equal(backoffDelay(3, 100, 1000, () => 0), 0);
  });

  it('retries a transient failure until it succeeds', async () => {
    let calls = 0;
    const retried: number[] = [];
    const value = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new ApiError('datahub', 503, 503, 'busy');
        return 'ok';
      },
      { retries: 5, baseDelayMs: 1, onRetry: (_e, attempt) => retried.push(attempt) },
    );
    assert.equal(value, 'ok');
    assert.equal(calls, 3);
    assert.deepEqual(retried, [1, 2]);
  });

  it('gives up after the configured retries and rethrows the last error', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw new ApiError('datahub', 500, 500, `fail ${calls}`);
      }, { retries: 2, baseDelayMs: 1 }),
      /fail 3/,
    );
    assert.equal(calls, 3);
  });

  it('does not retry a final error', async () => {
    let calls = 0;
    await assert.rejects(withRetry(async () => {
      calls++;
      throw new ApiError('datahub', 400, 40001, 'bad field');
    }, { retries: 5, baseDelayMs: 1 }), /bad field/);
    assert.equal(calls, 1);
  });

  it('stops waiting as soon as it is cancelled', async () => {
    // The backoff is a minute, longer than the test may take: only the cancel can end the wait.
    const controller = new AbortController();
    let calls = 0;
    const promise = withRetry(async () => {
      calls++;
      throw new ApiError('datahub', 500, 500, 'x');
    }, { retries: 5, baseDelayMs: 60_000, random: () => 0.99, signal: controller.signal });
    await until('the first attempt', () => (calls === 1 ? true : undefined));
    controller.abort();
    await assert.rejects(promise, (e: Error) => e.name === 'AbortError');
    assert.equal(calls, 1);
  });
});
