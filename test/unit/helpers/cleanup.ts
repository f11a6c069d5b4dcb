// Disposes what a test made (engines, servers, watchers) after that test, so that no test leaves work running for the next.

export interface Disposable {
  dispose(): unknown;
}

/** Returns `keep`: whatever is passed to it is disposed (in reverse order) after each test of the calling `describe`. */
export function useCleanup(): <T extends Disposable>(thing: T) => T {
  const made: Disposable[] = [];
  afterEach(async () => {
    while (made.length > 0) await made.pop()?.dispose();
  });
  return (thing) => {
    made.push(thing);
    return thing;
  };
}
