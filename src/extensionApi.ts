// What activate() returns: the transfers, read-only, for other extensions; and, only when VS Code runs the extension in
// test mode (ExtensionMode.Test), the handles the integration tests drive it through as a person would.
import type * as vscode from 'vscode';
import type { OpenPrompt, PromptAction } from './commands/pandora/dialogs';
import type { ConflictChoice, OpenConflict } from './languages/pandoraSql/conflict';
import type { Notice } from './platform/notifications';
import type { Prompts } from './platform/prompts';
import type { CredentialStore } from './platform/secrets';
import type { ConnectorTreeNode } from './providers/connectorsTree';
import type { LoadTaskTreeNode } from './providers/loadTasksTree';
import type { MediaTaskLog } from './providers/mediaTaskLog';
import type { MediaNode } from './providers/mediaTree';
import type { PandoraTreeNode } from './providers/pandoraTree';
import type { ShownNotice } from './providers/transferNotices';
import type { TransfersNode } from './providers/transfersTree';
import type { TransferRecord } from './transfer/types';

export interface DatahubExtensionApi {
  /** A snapshot of every transfer, newest first. */
  transfers(): TransferRecord[];
  /** Present only in test mode (`context.extensionMode === ExtensionMode.Test`). */
  readonly testing?: DatahubTestingApi;
}

export interface DatahubTestingApi {
  /** The views' data providers: the nodes they give are what the tree passes to a context command. */
  readonly trees: {
    readonly connectors: vscode.TreeDataProvider<ConnectorTreeNode>;
    readonly loadTasks: vscode.TreeDataProvider<LoadTaskTreeNode>;
    readonly pandora: vscode.TreeDataProvider<PandoraTreeNode>;
    readonly media: vscode.TreeDataProvider<MediaNode>;
    readonly transfers: vscode.TreeDataProvider<TransfersNode>;
  };
  /** The Transfers status bar item: its text and whether it is shown; the start messages ("Uploading …") shown now. */
  transferStatusBar(): { text: string; visible: boolean; messages: string[] };
  /** The environment status bar item: its text and tooltip. */
  environmentStatusBar(): { text: string; tooltip: string };
  /** The URL of the emulator Start Local Emulator runs in this window, while it runs. */
  localEmulatorUrl(): string | undefined;
  /** Its process id while it runs (a test ends the process as a window reload or a crash does). */
  localEmulatorPid(): number | undefined;
  /** The Transfers area's notifications (what each said, its buttons), and a button pressed on the newest whose message matches. */
  readonly transferNotices: { list(): readonly ShownNotice[]; press(message: RegExp, button: string): boolean };
  /** Until the returned disposable is disposed, `prompts` answers every question a command asks. */
  answerPrompts(prompts: Prompts): vscode.Disposable;
  /** The page of the open editor of job `job` (undefined: the new job's), or of its export `exportName` (undefined: a new export's). */
  pandoraPanel(kind: 'job' | 'export', job: string | undefined, exportName?: string): PagePort | undefined;
  /** The page of the open details of transfer `id`. */
  transferDetails(id: string): PagePort | undefined;
  /** The open question of a Pandora dialog, after choosing items or typing in it first (what a person does); undefined when none is open. */
  pandoraPrompt(action?: PromptAction): Promise<OpenPrompt | undefined>;
  /** The open save conflict of a job's SQL document (undefined when none), answered first as its buttons would when `answer` is given. */
  pandoraSqlConflict(answer?: ConflictChoice | 'cancel'): OpenConflict | undefined;
  /** The Media view's task log, to set up a task the backend has lost since it was recorded. */
  readonly mediaTaskLog: MediaTaskLog;
  /** The credential store, to set up states a person reaches only over time (a value removed since). */
  readonly credentials: CredentialStore;
  /** Every notification shown so far (information, warning, error), oldest first. */
  notifications(): Notice[];
  /** Presses button `action` of notification `id` as a click would; false when it has none or was settled. */
  pressNotification(id: number, action: string): boolean;
}

/** An open webview panel as a test sees it: what its page posted, what the host posted to it, and a way to post as the page. */
export interface PagePort {
  /** Posts `message` to the host as the page would; resolves to what the host posted back (undefined when nothing). */
  post(message: unknown): Promise<unknown>;
  /** Whether the page's own script has posted a message of this type (and the host has handled it). */
  pagePosted(type: string): boolean;
  /** The last message of this type the host posted to the page. */
  lastPosted(type: string): unknown;
}
