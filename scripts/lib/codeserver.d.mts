// Types of codeserver.mjs for the TypeScript tests.
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const RUNS_DIR: string;
export const QUIET_SETTINGS: Record<string, unknown>;
export const CHROMIUM_ARGS: string[];
export function emulatorSettings(emulatorUrl: string): Record<string, string>;
export function installOurExtension(extensionsDir: string): string;

export interface CodeServer {
  url: string;
  port: number;
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  logFile: string;
  workbenchUrl: string;
  exthostLog(): string | undefined;
  exthostLogs(): string[];
  stop(options?: { keep?: boolean }): Promise<void>;
}
export interface LaunchOptions {
  workspace: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  extraExtensions?: string[];
  name?: string;
  port?: number;
  keep?: boolean;
  quiet?: boolean;
  /** Start again on the profile (runDir) of an earlier launch: a restart keeping global storage. */
  reuseRunDir?: string;
  /** The display language (`--locale`), e.g. 'zh-cn'; it takes only with a language pack for it. */
  locale?: string;
  /** A language pack extension folder (contributes.localizations), installed and registered before the start. */
  languagePack?: string;
  /** A module whose `run()` the extension host calls as VS Code's extension tests; our extension then runs in ExtensionMode.Test. */
  testsPath?: string;
}
export function launchCodeServer(options: LaunchOptions): Promise<CodeServer>;
export function findExthostLog(userDataDir: string): string | undefined;
export function findExthostLogs(userDataDir: string): string[];
export function tail(file: string | undefined, lines?: number): string;

export interface Workbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}
export function openWorkbench(server: Pick<CodeServer, 'workbenchUrl'>, options?: { headless?: boolean; viewport?: { width: number; height: number }; timeoutMs?: number }): Promise<Workbench>;
