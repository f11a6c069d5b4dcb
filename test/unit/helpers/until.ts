// Polls a condition with a deadline: what a test waits on instead of a sleep.

/** Resolves with the probe's first value other than undefined; fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000, intervalMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until the clock has passed the expiry (X-Expires, in whole seconds) of a presigned URL. */
export function pastExpiry(url: string): Promise<true> {
  const expires = Number(new URL(url).searchParams.get('X-Expires'));
  if (!Number.isFinite(expires)) throw new Error(`no X-Expires in ${url}`);
  return until(`the URL to expire (${expires})`, () => (Date.now() / 1000 > expires ? true : undefined), 15_000, 5);
}
