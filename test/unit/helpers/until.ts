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

/** Waits until the clock has passed the expiry of a presigned URL (X-Expires or Expires in seconds, or SigV4's X-Amz-Date + X-Amz-Expires). */
export function pastExpiry(url: string): Promise<true> {
  const q = new URL(url).searchParams;
  const amzDate = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(q.get('X-Amz-Date') ?? '');
  const expiresMs = amzDate
    ? Date.UTC(Number(amzDate[1]), Number(amzDate[2]) - 1, Number(amzDate[3]), Number(amzDate[4]), Number(amzDate[5]), Number(amzDate[6])) + Number(q.get('X-Amz-Expires')) * 1000
    : Number(q.get('X-Expires') ?? q.get('Expires')) * 1000;
  if (!Number.isFinite(expiresMs)) throw new Error(`no expiry in ${url}`);
  return until(`the URL to expire (${new Date(expiresMs).toISOString()})`, () => (Date.now() > expiresMs ? true : undefined), 15_000, 5);
}
