// Test mode only (ExtensionMode.Test): prompts the integration tests can answer, and the API that hands them the views.
import * as vscode from 'vscode';
import type { ConnectorsArea } from '../areas/connectors';
import type { MediaArea } from '../areas/media';
import type { PandoraArea } from '../areas/pandora';
import type { SetupArea } from '../areas/setup';
import type { TransfersArea } from '../areas/transfers';
import type { DatahubTestingApi } from '../extensionApi';
import type { RecordingNotifier } from './notifications';
import type { PickOptions, PickOrTypeOptions, Prompts, StepAnswer, StepOptions } from './prompts';
import type { CredentialStore } from './secrets';
import type { WatchedPages } from '../webviews/watchedPages';

/** The window's prompts, unless a test has put its own answers in their place. */
export class ReplaceablePrompts implements Prompts {
  private answers: Prompts | undefined;

  constructor(private readonly window: Prompts) {}

  use(answers: Prompts): vscode.Disposable {
    this.answers = answers;
    return new vscode.Disposable(() => {
      if (this.answers === answers) this.answers = undefined;
    });
  }

  private get current(): Prompts {
    return this.answers ?? this.window;
  }

  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    return this.current.pick(items, options);
  }

  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    return this.current.pickMany(items, options);
  }

  input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    return this.current.input(options);
  }

  step(options: StepOptions): Promise<StepAnswer> {
    return this.current.step(options);
  }

  pickOrType(options: PickOrTypeOptions): Promise<string | undefined> {
    return this.current.pickOrType(options);
  }

  openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    return this.current.openDialog(options);
  }

  confirm(message: string, detail: string | undefined, ...buttons: string[]): Promise<string | undefined> {
    return this.current.confirm(message, detail, ...buttons);
  }
}

export interface TestedAreas {
  setup: SetupArea;
  transfers: TransfersArea;
  connectors: ConnectorsArea;
  pandora: PandoraArea;
  media: MediaArea;
}

/** What test mode puts in place of the window's prompts, notifications and webview links, and the credential store. */
export interface TestedServices {
  prompts: ReplaceablePrompts;
  credentials: CredentialStore;
  notifier: RecordingNotifier;
  pages: WatchedPages;
}

export function testingApi(areas: TestedAreas, { prompts, credentials, notifier, pages }: TestedServices): DatahubTestingApi {
  return {
    trees: {
      connectors: areas.connectors.connectorsTree,
      loadTasks: areas.connectors.loadTasksTree,
      pandora: areas.pandora.tree,
      media: areas.media.tree,
      transfers: areas.transfers.tree,
    },
    transferStatusBar: () => areas.transfers.statusBar.state(),
    environmentStatusBar: () => areas.setup.statusBar.state(),
    localEmulatorUrl: () => areas.setup.emulator.url,
    localEmulatorPid: () => areas.setup.emulator.pid,
    transferNotices: areas.transfers.notices,
    answerPrompts: (answers) => prompts.use(answers),
    pandoraPanel: (kind, job, exportName) => pages.port(areas.pandora.panel(kind, job, exportName)),
    transferDetails: (id) => pages.port(areas.transfers.details(id)),
    pandoraSqlConflict: (answer) => {
      const open = areas.pandora.sqlConflicts.describe();
      if (answer) areas.pandora.sqlConflicts.answer(answer === 'cancel' ? undefined : answer);
      return open;
    },
    pandoraPrompt: async (action) => {
      const open = action ? areas.pandora.dialogs.act(action) : areas.pandora.dialogs.describe();
      // The extension host batches widget updates in a zero timeout: answer after they are sent, so that a command
      // the test runs next (Enter) reaches the workbench after them.
      await new Promise((flushed) => setTimeout(flushed, 0));
      return open;
    },
    mediaTaskLog: areas.media.taskLog,
    credentials,
    notifications: () => notifier.list(),
    pressNotification: (id, action) => notifier.press(id, action),
  };
}
