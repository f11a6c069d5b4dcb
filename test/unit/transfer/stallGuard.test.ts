// The data pace guard on fake timers: a stall aborts after stallMs without a byte; with a floor, a trickle slower
// than the floor over the window aborts as a retryable TOO_SLOW; enough bytes keep the request going.
import * as assert from 'node:assert/strict';
import { ApiError } from '../../../src/api/errors';
import { StallGuard } from '../../../src/transfer/stallGuard';
import { useFakeClock } from '../helpers/clock';

describe('stall guard and throughput floor', () => {
  const fake = useFakeClock();

  it('aborts a request that moves fewer bytes than the floor over the window, as a retryable TOO_SLOW', async () => {
    const guard = new StallGuard(new AbortController().signal, { stallMs: 60_000, minBytesPerSecond: 1024, floorWindowMs: 10_000 });
    try {
      // 100 bytes every second: alive (no stall), but 1,000 bytes per 10 s is below 10 KiB per window.
      for (let s = 0; s < 9; s++) {
        await fake.clock.tickAsync(1000);
        guard.touch(100);
      }
      assert.equal(guard.controller.signal.aborted, false, 'not before the window is over');
      await fake.clock.tickAsync(1000);
      assert.equal(guard.controller.signal.aborted, true);
      const error = guard.translate(new Error('aborted'), 'datahub', 'PUT part 3');
      assert.ok(error instanceof ApiError);
      assert.equal(error.code, 'TOO_SLOW');
      assert.equal(error.retryable, true);
      assert.match(error.message, /PUT part 3: slower than 1024 bytes\/s over 10 s/);
    } finally {
      guard.dispose();
    }
  });

  it('lets a request at the floor or faster run past many windows', async () => {
    const guard = new StallGuard(new AbortController().signal, { stallMs: 60_000, minBytesPerSecond: 1024, floorWindowMs: 10_000 });
    try {
      for (let s = 0; s < 60; s++) {
        await fake.clock.tickAsync(1000);
        guard.touch(2048);
      }
      assert.equal(guard.controller.signal.aborted, false);
    } finally {
      guard.dispose();
    }
  });

  it('without a floor, only a stall aborts', async () => {
    const guard = new StallGuard(new AbortController().signal, 5_000);
    try {
      await fake.clock.tickAsync(4_999);
      guard.touch(1);
      await fake.clock.tickAsync(4_999);
      assert.equal(guard.controller.signal.aborted, false);
      await fake.clock.tickAsync(1);
      assert.equal(guard.controller.signal.aborted, true);
      const error = guard.translate(new Error('aborted'), 'datahub', 'GET range 1');
      assert.ok(error instanceof ApiError && error.code === 'STALLED' && error.retryable);
    } finally {
      guard.dispose();
    }
  });
});
