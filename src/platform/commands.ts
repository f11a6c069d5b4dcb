// The one registerCommand wrapper: runs a handler, shows failures (backend code + message, "Show Log"), logs them.
import * as vscode from 'vscode';
import { ApiError, ValidationError, describeError, isAbortError } from '../api/errors';
import { redact, type Logger } from '../api/logger';
import { backendName, classifyProblem } from './backendProblem';
import { BACKENDS, type Backend } from './settings';
import type { Notifier } from './notifications';

export type CommandHandler = (...args: unknown[]) => unknown;

export class CommandRegistry {
  constructor(
    private readonly subscriptions: vscode.Disposable[],
    private readonly logger: Logger,
    private readonly channel: vscode.LogOutputChannel,
    private readonly notifier: Notifier,
  ) {}

  register(id: string, handler: CommandHandler): void {
    this.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          await this.report(id, err);
          return undefined;
        }
      }),
    );
  }

  /** Shows an error the way every command does; also used by background work (transfers). */
  async report(context: string, err: unknown): Promise<void> {
    if (isAbortError(err) || err instanceof vscode.CancellationError) {
      this.logger.info(`${context}: cancelled`);
      return;
    }
    const message = describeError(err);
    this.logger.error(`${context}: ${message}`);
    if (err instanceof ApiError && classifyProblem(err) === 'noEndpoint' && (BACKENDS as readonly string[]).includes(err.service)) {
      this.endpointMissing(err.service as Backend);
      return;
    }
    if (err instanceof Error && !(err instanceof ApiError) && !(err instanceof ValidationError) && err.stack) this.logger.debug(err.stack);
    const showLog = vscode.l10n.t('Show Log');
    // Not awaited: the command finishes at once; the notification stays until the user dismisses it.
    void this.notifier.show('error', redact(message), showLog).then((choice) => {
      if (choice === showLog) this.channel.show(true);
    });
  }

  /** A missing endpoint is named as such, with its two fixes, never as the code NO_BASE_URL. */
  private endpointMissing(backend: Backend): void {
    const openSettings = vscode.l10n.t('Open Settings');
    const startEmulator = vscode.l10n.t('Start Local Emulator');
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} endpoint not set: set datahub.endpoints.{1} in your User settings, or start the local emulator.', backendName(backend), backend), openSettings, startEmulator).then((choice) => {
      if (choice === openSettings) void vscode.commands.executeCommand('datahub.openEndpointSettings', backend);
      else if (choice === startEmulator) void vscode.commands.executeCommand('datahub.startLocalEmulator');
    });
  }
}

export { describeError } from '../api/errors';
