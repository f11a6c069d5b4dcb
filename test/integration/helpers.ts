// Shared by the integration suites (bundled into each by esbuild; not a suite itself): the emulator's admin API,
// the extension's exported API, polling, random workspace files and tree-snapshot lookups.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DatahubExtensionApi } from '../../src/extensionApi';
import type { TreeSnapshotEntry } from '../../src/extensionApi';

export const EXTENSION_ID = 'oortech.datahub-vscode';
export const emulatorUrl = process.env.DATAHUB_EMULATOR_URL ?? '';
export const workspace = process.env.DATAHUB_TEST_WORKSPACE ?? '';

/** Calls the emulator's admin API (`/_emulator/...`); a non-2xx answer fails the test with its body. */
export async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulatorUrl}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The whole emulator state (`GET /_emulator/state`), typed by the suite that reads it. */
export const emulatorState = <T>(): Promise<T> => admin<T>('GET', '/_emulator/state');

/** Activates the extension and returns its exported test API. */
export async function api(): Promise<DatahubExtensionApi> {
  const extension = vscode.extensions.getExtension<DatahubExtensionApi>(EXTENSION_ID);
  assert.ok(extension);
  return extension.activate();
}

/** For a suite's `before`: the harness gave an emulator, and the extension is active (its API is returned). */
export async function ready(): Promise<DatahubExtensionApi> {
  assert.ok(emulatorUrl, 'DATAHUB_EMULATOR_URL is not set');
  return api();
}

export type Probe<T> = () => Promise<T | undefined | false> | T | undefined | false;
export type WaitFor = <T>(what: string, probe: Probe<T>, timeoutMs?: number) => Promise<T>;

/** A `waitFor` that polls every `intervalMs` until the probe returns a value (not undefined/false), `defaultTimeoutMs` unless told. */
export function poller(defaultTimeoutMs: number, intervalMs: number): WaitFor {
  return async <T>(what: string, probe: Probe<T>, timeoutMs = defaultTimeoutMs): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  };
}

/** Polls every 100 ms, for 30 s unless told. */
export const waitFor: WaitFor = poller(30_000, 100);

export const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

/** Writes `size` random bytes to `name` in the test workspace. */
export function writeFile(name: string, size: number): { uri: vscode.Uri; md5: string } {
  const data = randomBytes(size);
  const path = join(workspace, name);
  writeFileSync(path, data);
  return { uri: vscode.Uri.file(path), md5: md5(data) };
}

/** The open webview tabs whose view type contains `viewType`. */
export function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(viewType));
}

/** A tree item as the `datahub.internal.*Snapshot` commands return it. */
export type Entry = TreeSnapshotEntry;

export function flatten(entries: readonly Entry[]): Entry[] {
  return entries.flatMap((e) => [e, ...flatten(e.children ?? [])]);
}

/** The first item (at any depth) matching `predicate`; fails listing what is there (each item shown by `show`). */
export function find(entries: readonly Entry[], predicate: (e: Entry) => boolean, what: string, show: (e: Entry) => string = (e) => e.label): Entry {
  const found = flatten(entries).find(predicate);
  assert.ok(found, `no tree item: ${what} in ${JSON.stringify(flatten(entries).map(show))}`);
  return found;
}
