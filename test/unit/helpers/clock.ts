// Fake timers for the tests of pollers and throttles: time moves only when the test ticks it, so no test waits on the wall clock.
import FakeTimers from '@sinonjs/fake-timers';

export type FakeClock = ReturnType<typeof FakeTimers.install>;

/**
 * A fake setTimeout/setInterval/Date for each test of the calling `describe` (installed in beforeEach, uninstalled
 * in afterEach). Promises and I/O stay real: after an `await` the test ticks the clock with `tickAsync`.
 */
export function useFakeClock(): { readonly clock: FakeClock } {
  let clock: FakeClock | undefined;
  beforeEach(() => {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    clock?.uninstall();
    clock = undefined;
  });
  return {
    get clock() {
      if (!clock) throw new Error('the fake clock is installed in beforeEach()');
      return clock;
    },
  };
}
