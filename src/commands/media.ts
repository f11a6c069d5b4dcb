// Media commands: upload a folder of masters, download by source id, upload private blocks, and the tree actions.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { MediaClient } from '../api/media/client';
import { handoffTokenNotice, type HandoffRequest, type HandoffTokenNotice } from '../api/media/handoff';
import { MediaStatus } from '../api/media/types';
import type { CoreServices } from '../platform/core';
import type { MediaTreeProvider } from '../providers/mediaTree';
import { mediaLocalPath } from '../providers/mediaTree';
import { formatBytes } from '../transfer/format';
import { isFinished } from '../transfer/engine';
import { MEDIA_DOWNLOAD, type MediaDownloadParams } from '../transfer/protocols/mediaDownload';
import { MEDIA_PRIVATE_UPLOAD, type MediaPrivateUploadParams } from '../transfer/protocols/mediaPrivateUpload';
import { MEDIA_UPLOAD, type MediaUploadParams } from '../transfer/protocols/mediaUpload';
import type { Json, TransferRecord } from '../transfer/types';
import { listVideoFiles, matchPrivateBlocks } from './mediaFiles';

export interface MediaCommandDeps {
  core: CoreServices;
  client: MediaClient;
  tree: MediaTreeProvider;
}

/** Options a test or the URI handler passes instead of answering prompts. */
interface UploadOptions {
  folder?: string;
  seriesId?: number;
  token?: string;
  /** false: start without the confirmation (tests); the URI handler always confirms first. */
  confirm?: boolean;
}

interface DownloadOptions {
  sourceId?: number;
  destDir?: string;
  token?: string;
  confirm?: boolean;
}

const MEDIA_PROTOCOLS = [MEDIA_UPLOAD, MEDIA_DOWNLOAD, MEDIA_PRIVATE_UPLOAD];

function asParams<T>(value: T): { [key: string]: Json } {
  return value as unknown as { [key: string]: Json };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && !Array.isArray(value);
}

/** The media token: given (stored first), stored, or asked for once and stored in SecretStorage. */
export async function ensureMediaToken(core: CoreServices, given?: string): Promise<void> {
  if (given) {
    await core.credentials.set('media', 'token', given);
    return;
  }
  if (await core.credentials.get('media', 'token')) return;
  const token = await vscode.window.showInputBox({
    title: vscode.l10n.t('Media user token'),
    prompt: vscode.l10n.t('The user token the media web page hands over (kept in secret storage).'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The token is required')),
  });
  if (!token) throw new vscode.CancellationError();
  await core.credentials.set('media', 'token', token.trim());
}

function parseId(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

async function askId(title: string, prompt: string): Promise<number> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    ignoreFocusOut: true,
    validateInput: (v) => (parseId(v) === undefined ? vscode.l10n.t('Enter a whole number') : undefined),
  });
  const id = text === undefined ? undefined : parseId(text);
  if (id === undefined) throw new vscode.CancellationError();
  return id;
}

async function pickFolder(title: string): Promise<string> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  if (!picked?.[0]) throw new vscode.CancellationError();
  return picked[0].fsPath;
}

/** Creates one media-upload transfer per video file of `folder`, after the user confirms the list. */
export async function startMediaUpload(deps: MediaCommandDeps, folder: string, seriesId: number, confirm: boolean): Promise<string[]> {
  const files = await listVideoFiles(folder);
  if (files.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No video files in {0}.', folder));
    return [];
  }
  let chosen = files;
  if (confirm) {
    const items = files.map((f) => ({ label: f.name, description: formatBytes(f.size), picked: true, file: f }));
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Upload {0} video file(s) of {1} to series {2}', files.length, basename(folder), seriesId),
      canPickMany: true,
      ignoreFocusOut: true,
    });
    if (!picked || picked.length === 0) throw new vscode.CancellationError();
    chosen = picked.map((p) => p.file);
  }
  const ids: string[] = [];
  for (const file of chosen) {
    const params: MediaUploadParams = { seriesId, path: file.path, sourceName: file.name, folderName: basename(folder), size: file.size, mtimeMs: file.mtimeMs };
    const record = deps.core.engine.add({ protocol: MEDIA_UPLOAD, direction: 'upload', label: file.name, localPath: file.path, params: asParams(params), bytesTotal: file.size });
    ids.push(record.id);
  }
  return ids;
}

export function startMediaDownload(deps: MediaCommandDeps, sourceId: number, destDir: string): string {
  const params: MediaDownloadParams = { sourceId, destDir };
  return deps.core.engine.add({ protocol: MEDIA_DOWNLOAD, direction: 'download', label: vscode.l10n.t('Source {0}', sourceId), localPath: destDir, params: asParams(params) }).id;
}

async function pickDestination(): Promise<string> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const choose = vscode.l10n.t('Choose a folder…');
  const items = [...folders.map((f) => ({ label: f.name, description: f.uri.fsPath, path: f.uri.fsPath as string | undefined })), { label: choose, description: '', path: undefined }];
  const picked = folders.length ? await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Download into which folder?'), ignoreFocusOut: true }) : items[items.length - 1];
  if (!picked) throw new vscode.CancellationError();
  return picked.path ?? (await pickFolder(vscode.l10n.t('Download into which folder?')));
}

/** A media transfer from a tree node, or picked from a list when the command comes from the palette. */
async function transferOf(deps: MediaCommandDeps, node: unknown, accept: (r: TransferRecord) => boolean): Promise<TransferRecord | undefined> {
  if (isObject(node) && node.kind === 'transfer') return (node as { record: TransferRecord }).record;
  if (isObject(node) && node.kind === 'privateTask') return (node as { transfer?: TransferRecord }).transfer;
  const candidates = deps.core.engine.list().filter((r) => MEDIA_PROTOCOLS.includes(r.protocol) && accept(r));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No media transfer to act on.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(candidates.map((r) => ({ label: r.label, description: r.state, record: r })), { title: vscode.l10n.t('Which media transfer?') });
  return picked?.record;
}

export function registerMediaCommands(deps: MediaCommandDeps): void {
  const { core, client, tree } = deps;
  const { commands, engine } = core;

  commands.register('datahub.media.uploadFolder', async (arg?: unknown, second?: unknown) => {
    const options: UploadOptions = isObject(arg) ? (arg as UploadOptions) : isObject(second) ? (second as UploadOptions) : {};
    const folder = arg instanceof vscode.Uri ? arg.fsPath : options.folder ?? (await pickFolder(vscode.l10n.t('Upload which media folder?')));
    const seriesId = options.seriesId ?? (await askId(vscode.l10n.t('Series id'), vscode.l10n.t('The series (影视系列) id these masters belong to')));
    await ensureMediaToken(core, options.token);
    return startMediaUpload(deps, folder, seriesId, options.confirm !== false);
  });

  commands.register('datahub.media.download', async (arg?: unknown) => {
    const options: DownloadOptions = isObject(arg) ? (arg as DownloadOptions) : {};
    const sourceId = options.sourceId ?? (await askId(vscode.l10n.t('Download by source id'), vscode.l10n.t('The source (母带) id to download')));
    const destDir = options.destDir ?? (await pickDestination());
    await ensureMediaToken(core, options.token);
    return startMediaDownload(deps, sourceId, destDir);
  });

  commands.register('datahub.media.uploadPrivate', async (arg?: unknown) => {
    const options = isObject(arg) ? (arg as { folder?: string; confirm?: boolean }) : {};
    await ensureMediaToken(core);
    const { tasks } = await client.listPrivateTasks();
    const open = tasks.filter((t) => t.status !== MediaStatus.Done);
    if (open.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No private block is waiting to be uploaded.'));
      return [];
    }
    const folder = options.folder ?? (arg instanceof vscode.Uri ? arg.fsPath : await pickFolder(vscode.l10n.t('Folder with the private blocks')));
    const { matches, unmatchedFiles } = await matchPrivateBlocks(folder, open);
    if (matches.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('None of the {0} waiting task(s) has a private block file in {1}.', open.length, folder));
      return [];
    }
    let chosen = matches;
    if (options.confirm !== false) {
      const items = matches.map((m) => ({ label: m.task.source_name, description: `← ${m.file.name}`, detail: `${m.task.file || vscode.l10n.t('Series {0}', m.task.series_id)} · ${vscode.l10n.t('Task')} ${m.task.id}`, picked: true, match: m }));
      const missing = open.length - matches.length;
      const picked = await vscode.window.showQuickPick(items, {
        title: vscode.l10n.t('Upload {0} matched private block(s)', matches.length) + (missing ? ` — ${vscode.l10n.t('{0} task(s) without a file', missing)}` : '') + (unmatchedFiles.length ? ` — ${vscode.l10n.t('{0} file(s) without a task', unmatchedFiles.length)}` : ''),
        canPickMany: true,
        ignoreFocusOut: true,
      });
      if (!picked || picked.length === 0) throw new vscode.CancellationError();
      chosen = picked.map((p) => p.match);
    }
    return chosen.map(({ task, file }) => {
      const params: MediaPrivateUploadParams = { taskId: task.id, seriesId: task.series_id, path: file.path, size: file.size, mtimeMs: file.mtimeMs, name: task.source_name, folderName: task.file };
      return engine.add({ protocol: MEDIA_PRIVATE_UPLOAD, direction: 'upload', label: vscode.l10n.t('Private block of {0}', task.source_name), localPath: file.path, params: asParams(params), bytesTotal: file.size }).id;
    });
  });

  commands.register('datahub.media.refresh', () => tree.refresh());

  commands.register('datahub.media.copyHash', async (node?: unknown) => {
    let hash: string | undefined;
    if (isObject(node) && node.kind === 'privateTask') hash = (node as { task: { hash: string } }).task.hash;
    else {
      const record = await transferOf(deps, node, (r) => typeof r.checkpoint.hash === 'string');
      hash = typeof record?.checkpoint.hash === 'string' ? record.checkpoint.hash : undefined;
    }
    if (!hash) return;
    await vscode.env.clipboard.writeText(hash);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', hash), 3000);
  });

  commands.register('datahub.media.cancel', async (node?: unknown) => {
    const record = await transferOf(deps, node, (r) => !isFinished(r.state));
    if (record) engine.cancel(record.id);
  });

  commands.register('datahub.media.retry', async (node?: unknown) => {
    const record = await transferOf(deps, node, (r) => r.state === 'failed' || r.state === 'cancelled');
    if (record) engine.retry(record.id);
  });

  commands.register('datahub.media.reveal', async (node?: unknown) => {
    const record = await transferOf(deps, node, (r) => mediaLocalPath(r) !== undefined);
    const path = record ? mediaLocalPath(record) : undefined;
    if (path) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path));
  });

  commands.register('datahub.media.viewItems', () => tree.snapshot());
}

/** The sentence of the link dialog that says what happens to the token it carries, and for which host. */
function tokenSentence(notice: HandoffTokenNotice | undefined): string | undefined {
  if (!notice) return undefined;
  const host = notice.host ?? vscode.l10n.t('(no media server is set: datahub.endpoints.media)');
  return notice.replacesStoredToken
    ? vscode.l10n.t('The link carries a media token: continuing replaces the stored media token with it, for {0}.', host)
    : vscode.l10n.t('The link carries a media token: continuing stores it as the media token, for {0}.', host);
}

/** Confirms a hand-off link with the user (saying what it does with its token), stores the token, and starts the flow it asks for. */
export async function confirmAndStart(deps: MediaCommandDeps, request: HandoffRequest): Promise<string[]> {
  const start = request.kind === 'upload' ? vscode.l10n.t('Start Upload') : vscode.l10n.t('Start Download');
  const what =
    request.kind === 'upload'
      ? vscode.l10n.t('A web page asks to upload the video files of {0} to series {1}.', request.folder, request.seriesId)
      : vscode.l10n.t('A web page asks to download source {0}.', request.sourceId);
  const stored = (await deps.core.credentials.get('media', 'token')) !== undefined;
  const token = tokenSentence(handoffTokenNotice(request, deps.core.settings.baseUrl('media'), stored));
  const detail = [what, token, vscode.l10n.t('Only continue if you opened this link yourself.')].filter((line) => line !== undefined).join('\n');
  const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Datahub media link'), { modal: true, detail }, start);
  if (answer !== start) return [];
  await ensureMediaToken(deps.core, request.token);
  if (request.kind === 'upload') return startMediaUpload(deps, request.folder, request.seriesId, true);
  return [startMediaDownload(deps, request.sourceId, await pickDestination())];
}
