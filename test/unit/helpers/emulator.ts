// Starts an in-process emulator on a random port for a test suite, with a typed admin helper.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import type { StoreSettings } from '../../../emulator/store/profiles';

/** For suites whose uploads use small parts: the store's part-size minimum (S3 5 MiB, OSS 100 KB) is switched off, explicitly. */
export const SMALL_PARTS: Partial<StoreSettings> = { minPartSize: 0 };

export type AdminCall = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

export interface TestEmulator {
  url: string;
  emulator: RunningEmulator;
  admin: AdminCall;
  close(): Promise<void>;
}

/** JSON calls on the emulator at `url` (its `/_emulator/...` admin API); a non-2xx answer throws with its body. */
export function adminClient(url: string): AdminCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/**
 * Every backend unless `backends` names some; the store profile is the default (strictest) unless `store` says; the
 * data directory is removed on close. Input files of subtasks may come from the temp folder, where the tests write them.
 */
export async function startTestEmulator(backends?: string[], store?: Partial<StoreSettings>, keepAliveMs?: number): Promise<TestEmulator> {
  const dataDir = tempDir('datahub-emu-test-');
  const emulator = await startEmulator({ port: 0, dataDir, backends, allowInputDirs: [tmpdir()], store, keepAliveMs });
  return {
    url: emulator.url,
    emulator,
    admin: adminClient(emulator.url),
    close: async () => {
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The emulator of the calling `describe`: started in its `before`, faults cleared after each test, closed in its
 * `after`. The returned object reaches the running emulator, so it is usable from the hooks and tests on.
 */
export function useTestEmulator(backends?: string[], store?: Partial<StoreSettings>, keepAliveMs?: number): TestEmulator {
  let started: TestEmulator | undefined;
  const current = (): TestEmulator => {
    if (!started) throw new Error('the test emulator is started in before()');
    return started;
  };
  before(async () => {
    started = await startTestEmulator(backends, store, keepAliveMs);
  });
  afterEach(async () => current().admin('DELETE', '/_emulator/faults'));
  after(async () => current().close());
  return {
    get url() {
      return current().url;
    },
    get emulator() {
      return current().emulator;
    },
    admin: <T>(method: string, path: string, body?: unknown) => current().admin<T>(method, path, body),
    close: () => current().close(),
  };
}

/** A fresh temporary directory for the calling `describe`: made in its `before`, removed in its `after`. */
export function useTempDir(prefix?: string): { readonly path: string } {
  let path: string | undefined;
  before(() => {
    path = tempDir(prefix);
  });
  after(() => {
    if (path) rmSync(path, { recursive: true, force: true });
  });
  return {
    get path() {
      if (!path) throw new Error('the temporary directory is made in before()');
      return path;
    },
  };
}

/** Creates a fresh temporary directory and returns its path. */
export function tempDir(prefix = 'datahub-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
