// Starts an in-process emulator on a random port for a test suite, with a typed admin helper.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';

export interface TestEmulator {
  url: string;
  emulator: RunningEmulator;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startTestEmulator(): Promise<TestEmulator> {
  const dataDir = mkdtempSync(join(tmpdir(), 'datahub-emu-test-'));
  const emulator = await startEmulator({ port: 0, dataDir });
  return {
    url: emulator.url,
    emulator,
    admin: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${emulator.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    close: async () => {
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Writes a file of `size` pseudo-random bytes and returns its path. */
export function tempDir(prefix = 'datahub-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
