// What activate() returns: the transfers, read-only, for other extensions; and, only when VS Code runs the extension in
// test mode (ExtensionMode.Test), the handles the integration tests drive it through as a person would.
import type * as vscode from 'vscode';
import type { PandoraPanelPort } from './areas/pandora';
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
import type { TransferDetailsPort } from './webviews/transferDetailsPanel';

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
  /** The open editor of job `job` (undefined: the new job's), or of its export `exportName` (undefined: a new export's), to post page messages to. */
  pandoraPanel(kind: 'job' | 'export', job: string | undefined, exportName?: string): PandoraPanelPort | undefined;
  /** The open details page of transfer `id` (what the host last sent it), to read and to post page messages to. */
  transferDetails(id: string): TransferDetailsPort | undefined;
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
