// Shared by the integration suites (bundled into each by esbuild; not a suite itself): the emulator's admin API,
// the extension's API (its test-mode part), scripted answers to prompts, polling, random workspace files, tree walks.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DatahubExtensionApi, DatahubTestingApi } from '../../src/extensionApi';
import type { TransferRecord } from '../../src/transfer/types';
import { ScriptedPrompts, type Answer } from './prompts';

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

/** Activates the extension and returns its exported API. */
export async function api(): Promise<DatahubExtensionApi> {
  const extension = vscode.extensions.getExtension<DatahubExtensionApi>(EXTENSION_ID);
  assert.ok(extension);
  return extension.activate();
}

/** The part of the API the extension gives only in test mode (the harness runs it as VS Code's extension under test). */
export async function testing(): Promise<DatahubTestingApi> {
  const { testing: handles } = await api();
  assert.ok(handles, 'the extension gave no testing API: is it running in test mode (ExtensionMode.Test)?');
  return handles;
}

/** Runs `command` (a command, usually) while `answers` answer its questions in order; fails if they do not all fit. */
export async function answering<T>(answers: Answer[], command: () => Thenable<T>): Promise<T> {
  const scripted = new ScriptedPrompts([...answers]);
  const registration = (await testing()).answerPrompts(scripted);
  try {
    const result = await command();
    scripted.assertDone();
    return result;
  } finally {
    registration.dispose();
  }
}

/** Runs a command with its arguments while `answers` answer its questions. */
export function run<T = unknown>(answers: Answer[], command: string, ...args: unknown[]): Promise<T> {
  return answering(answers, () => vscode.commands.executeCommand<T>(command, ...args));
}

/** The label of each backend in Set Credentials' first question. */
const BACKEND_ITEM = { datahub: /^Datahub \(api 000\)/, ingest: /^Ingest/, media: /^Media tasks/, multipart: /^Multipart/ } as const;

/** Datahub: Set Credentials… answered like a person: the backend, then each question in order (a string is typed). */
export async function setCredentials(backend: keyof typeof BACKEND_ITEM, answers: (string | Answer)[]): Promise<void> {
  const script: Answer[] = [{ pick: BACKEND_ITEM[backend] }, ...answers.map((a): Answer => (typeof a === 'string' ? { type: a } : a))];
  assert.equal(await run<boolean>(script, 'datahub.setCredentials'), true);
}

/** Pandora's AccessKey and SecretKey through Datahub: Set Credentials… → Pandora → AccessKey and SecretKey. */
export async function setPandoraKeys(accessKey: string, secretKey: string): Promise<void> {
  const answers: Answer[] = [{ pick: /^Pandora/ }, { pick: 'AccessKey and SecretKey' }, { type: accessKey }, { type: secretKey }];
  assert.equal(await run<boolean>(answers, 'datahub.setCredentials'), true);
}

/** What each Pandora suite starts from: no question left open, the seeded emulator, runs of `runMs`, the demo keys stored. */
export async function readyPandora(runMs: number): Promise<DatahubExtensionApi> {
  const extension = await ready();
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await admin('POST', '/_emulator/pandora/reset', { seed: true });
  await admin('POST', '/_emulator/pandora/config', { runMs, keys: [{ accessKey: 'demo-ak', secretKey: 'demo-sk' }] });
  await setPandoraKeys('demo-ak', 'demo-sk');
  return extension;
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

/** A tree item as the view renders it, with the provider's node (what the tree passes to a context command). */
export interface Entry<N = unknown> {
  node: N;
  id?: string;
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  icon?: string;
  command?: vscode.Command;
  children?: Entry<N>[];
}

/** Walks a view's data provider as VS Code does: its items down to `depth` levels below these. */
export async function walk<N>(provider: vscode.TreeDataProvider<N>, depth = 1, parent?: N): Promise<Entry<N>[]> {
  const entries: Entry<N>[] = [];
  for (const node of (await provider.getChildren(parent)) ?? []) {
    const item = await provider.getTreeItem(node);
    const entry: Entry<N> = {
      node,
      id: item.id,
      label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
      description: typeof item.description === 'string' ? item.description : undefined,
      tooltip: item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip,
      contextValue: item.contextValue,
      icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
      command: item.command,
    };
    if (depth > 0 && item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) entry.children = await walk(provider, depth - 1, node);
    entries.push(entry);
  }
  return entries;
}

/** The Transfers view's items. */
export async function transferItems(): Promise<Entry<TransferRecord>[]> {
  // The top level is the transfers themselves (a folder upload's files are below).
  return (await walk((await testing()).trees.transfers, 0)) as Entry<TransferRecord>[];
}

/** The Transfers view's item of transfer `id` once `accept` holds for it. */
export function transferItem(id: string, accept: (item: Entry<TransferRecord>) => boolean, timeoutMs?: number): Promise<Entry<TransferRecord>> {
  return waitFor(`the Transfers item of ${id}`, async () => (await transferItems()).find((i) => i.id === id && accept(i)), timeoutMs);
}

/** The Transfers view's node of transfer `id`: what its context menu passes to a command. */
export async function transferNode(id: string): Promise<TransferRecord> {
  const item = (await transferItems()).find((i) => i.id === id);
  assert.ok(item, `no Transfers item ${id}`);
  return item.node;
}

/** Upload to Datahub… from the Explorer's context menu on `uri`, the subtask id typed into its picker; the transfer's id. */
export function uploadFromExplorer(uri: vscode.Uri, subtaskId: string): Promise<string> {
  return run<string>([{ type: subtaskId }], 'datahub.upload', uri, [uri]);
}

/**
 * Download Subtask Input… from the palette: the subtask id typed, `folder` chosen in the open dialog, and — when the
 * file is there already — the button `existing` of the question; the transfer's id.
 */
export function downloadSubtask(subtaskId: string, folder: string, existing?: 'Overwrite' | 'Keep Both'): Promise<string> {
  return run<string>([{ type: subtaskId }, { open: [folder] }, ...(existing ? [{ button: existing }] : [])], 'datahub.download');
}

export function flatten<N>(entries: readonly Entry<N>[]): Entry<N>[] {
  return entries.flatMap((e) => [e, ...flatten(e.children ?? [])]);
}

/** The first item (at any depth) matching `predicate`; fails listing what is there (each item shown by `show`). */
export function find<N>(entries: readonly Entry<N>[], predicate: (e: Entry<N>) => boolean, what: string, show: (e: Entry<N>) => string = (e) => e.label): Entry<N> {
  const found = flatten(entries).find(predicate);
  assert.ok(found, `no tree item: ${what} in ${JSON.stringify(flatten(entries).map(show))}`);
  return found;
}
