// Runs async work over a list with a concurrency limit (optionally collecting results); the first failure stops the rest.
export async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T, signal: AbortSignal) => Promise<void>, parent?: AbortSignal): Promise<void> {
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort();
  if (parent?.aborted) controller.abort();
  parent?.addEventListener('abort', onParentAbort, { once: true });
  let next = 0;
  let firstError: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length && !controller.signal.aborted) {
      const item = items[next++];
      try {
        await work(item, controller.signal);
      } catch (error) {
        if (firstError === undefined) firstError = error;
        controller.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  } finally {
    parent?.removeEventListener('abort', onParentAbort);
  }
  if (firstError !== undefined) throw firstError;
}

/** `work` over `items`, at most `concurrency` at a time, results in the order of `items`. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, signal: AbortSignal) => Promise<R>, parent?: AbortSignal): Promise<R[]> {
  const results = new Array<R>(items.length);
  await runPool(items.map((item, index) => ({ item, index })), concurrency, async ({ item, index }, signal) => {
    results[index] = await work(item, signal);
  }, parent);
  return results;
}
