// e2e harness: a fresh emulator + code-server (our extension, settings pointing at the emulator) +
// headless Debian Chromium on the workbench, and the gestures a person makes (palette, views, menus).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, Locator, Page } from 'playwright-core';
import { emulatorAdmin, startEmulator } from '../../scripts/lib/emulator.mjs';
import { emulatorSettings, launchCodeServer, openWorkbench, tail } from '../../scripts/lib/codeserver.mjs';
import { createSampleWorkspace } from '../../scripts/lib/workspace.mjs';
import { repoRoot } from '../../scripts/lib/proc.mjs';

/** DATAHUB_E2E_SLOWDOWN=2 doubles every deadline below (a very slow machine); waits end as soon as their condition holds. */
const SLOWDOWN = Math.max(1, Number(process.env.DATAHUB_E2E_SLOWDOWN) || 1);

/** Every deadline of the e2e tests comes from here: generous, since a loaded machine is slow, not wrong. */
export const DEADLINE = {
  /** The UI reacting to a gesture: a menu, a quick pick, a webview form, a row after a click or a refresh. */
  ui: 30_000 * SLOWDOWN,
  /** The emulator doing something meanwhile: a job run, a load task, an authorization; polled, not slept. */
  backend: 120_000 * SLOWDOWN,
  /** A transfer of a few MiB to its end, with the parts slowed down by the test. */
  transfer: 300_000 * SLOWDOWN,
  /** code-server and the workbench starting (or restarting). */
  start: 240_000 * SLOWDOWN,
  /** One whole test (mocha's timeout). */
  test: 900_000 * SLOWDOWN,
};

/** DATAHUB_UPDATE_SCREENSHOTS=1 lets a run refresh the README's pictures in docs/images; otherwise nothing tracked is written. */
export const UPDATE_SCREENSHOTS = process.env.DATAHUB_UPDATE_SCREENSHOTS === '1';

export interface SessionOptions {
  /** Name of the run (used for the profile folder and screenshots). */
  name?: string;
  /** Extra user settings, on top of the ones pointing every endpoint at the emulator. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server (and so for the extension host). */
  env?: Record<string, string>;
  /** Extra files to write into the workspace (path relative to it → content). */
  files?: Record<string, string | Buffer>;
  /** Start the emulator with its sample data. */
  seed?: boolean;
  /** The display language: 'zh-cn' starts code-server in Chinese (with the test-only language pack in test/e2e/extensions). */
  locale?: 'zh-cn';
}

export interface Session {
  page: Page;
  browser: Browser;
  emulatorUrl: string;
  workspace: string;
  /** Calls the emulator's admin API: admin('POST', '/_emulator/subtasks', {...}); the prefix is optional. */
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Runs a command like a person: F1, type its title, Enter on the matching entry. */
  runCommand(title: string): Promise<void>;
  /** Shows the Datahub view container through its activity bar icon. */
  openDatahubView(): Promise<void>;
  /** The Explorer row of a workspace file (path relative to the workspace root, top-level files). */
  explorerItem(name: string): Promise<Locator>;
  /** Clicks an entry of the open context menu by its label. */
  clickMenuItem(label: string): Promise<void>;
  /** Explorer → right-click a workspace file → "Upload to Datahub…" → type the subtask id, Enter; resolves once the picker closed. */
  uploadFromExplorer(file: string, subtask: string): Promise<void>;
  /** The text of every visible status bar item. */
  statusBarTexts(): Promise<string[]>;
  /** Saves a full-page screenshot under test-results/ and returns its path. */
  screenshot(name: string): Promise<string>;
  /** A screenshot for the README: under test-results/ always, copied to docs/images/`file` only with DATAHUB_UPDATE_SCREENSHOTS=1. */
  readmeScreenshot(name: string, file: string): Promise<string>;
  /** Polls the emulator's state (GET /_emulator/state) until `probe` returns a value; DEADLINE.backend unless told. */
  waitForState<S, T>(what: string, probe: (state: S) => T | undefined, timeoutMs?: number): Promise<T>;
  /** The tail of the extension host's log (complete only after stop({ keep: true })). */
  exthostLogTail(lines?: number): string;
  /** Stops code-server and the browser and starts both again on the same profile (a restart). */
  restartCodeServer(): Promise<void>;
  /**
   * Opens a second VS Code window on the same code-server, profile and workspace (its own extension host, the same
   * global storage), ready once its Datahub view container shows; closed by stop() or by the returned close().
   */
  openAnotherWindow(): Promise<{ page: Page; openDatahubView(): Promise<void>; close(): Promise<void> }>;
  /** Stops everything; `keep` leaves the code-server profile (logs) in .vscode-test/runs/. */
  stop(options?: { keep?: boolean }): Promise<void>;
}

export const RESULTS_DIR = join(repoRoot, 'test-results');
const IMAGES_DIR = join(repoRoot, 'docs', 'images');

/**
 * Reads the emulator's state until `probe` finds what it waits for (a value other than undefined); fails naming `what`
 * and the last state. After the first read each one is a long-poll (`?since=<version>`): the emulator answers when its
 * state has changed, so the wait ends with the change, not with the next tick of a timer.
 */
async function pollState<S, T>(what: string, read: (since?: number, waitMs?: number) => Promise<S & { state_version?: number }>, probe: (state: S) => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let since: number | undefined;
  for (;;) {
    const left = deadline - Date.now();
    const state = await read(since, Math.max(0, Math.min(left, 10_000)));
    const found = probe(state);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last state: ${JSON.stringify(state).slice(0, 2000)}`);
    if (state.state_version === undefined) throw new Error(`the emulator's state has no state_version to wait on (waiting for ${what})`);
    since = state.state_version;
  }
}

function safeName(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const name = options.name ?? 'e2e';
  const scratch = mkdtempSync(join(tmpdir(), `datahub-${safeName(name)}-`));
  const stops: (() => Promise<void>)[] = [async () => rmSync(scratch, { recursive: true, force: true })];
  let keepProfile = false;
  const stop = async ({ keep = false }: { keep?: boolean } = {}): Promise<void> => {
    keepProfile = keep;
    while (stops.length > 0) {
      const next = stops.pop();
      await next?.().catch((err: unknown) => console.error(`e2e cleanup: ${String(err)}`));
    }
  };
  try {
    const emulator = await startEmulator({ dataDir: join(scratch, 'emulator'), seed: options.seed ?? false });
    stops.push(() => emulator.stop());
    const workspace = createSampleWorkspace(join(scratch, 'workspace'));
    for (const [path, content] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), content);
    }
    const launchOptions = {
      name,
      workspace,
      settings: { ...emulatorSettings(emulator.url), ...options.settings },
      env: { DATAHUB_EMULATOR_URL: emulator.url, DATAHUB_TEST_WORKSPACE: workspace, ...options.env },
      ...(options.locale ? { locale: options.locale, languagePack: join(repoRoot, 'test', 'e2e', 'extensions', `${options.locale}-language-pack`) } : {}),
    };
    const admin = <T>(method: string, path: string, body?: unknown) => emulatorAdmin(emulator.url, method, path, body) as Promise<T>;
    let server = await launchCodeServer(launchOptions);
    stops.push(() => server.stop({ keep: keepProfile }));
    let workbench = await openWorkbench(server);
    stops.push(() => workbench.close());
    workbench.page.setDefaultTimeout(DEADLINE.ui);
    await waitForExtensionHost(workbench.page);
    const screenshot = async (shot: string): Promise<string> => {
      mkdirSync(RESULTS_DIR, { recursive: true });
      const path = join(RESULTS_DIR, `${safeName(name)}-${safeName(shot)}.png`);
      await workbench.page.screenshot({ path, fullPage: true });
      return path;
    };

    const session: Session = {
      get page() {
        return workbench.page;
      },
      get browser() {
        return workbench.browser;
      },
      emulatorUrl: emulator.url,
      workspace,
      admin,
      runCommand: (title) => runCommand(workbench.page, title),
      openDatahubView: () => openDatahubView(workbench.page),
      explorerItem: (file) => explorerItem(workbench.page, file),
      clickMenuItem: (label) => clickMenuItem(workbench.page, label),
      uploadFromExplorer: (file, subtask) => uploadFromExplorer(workbench.page, file, subtask),
      statusBarTexts: () => workbench.page.locator('.part.statusbar .statusbar-item').allInnerTexts(),
      screenshot,
      readmeScreenshot: async (shot, file) => {
        const path = await screenshot(shot);
        if (UPDATE_SCREENSHOTS) {
          mkdirSync(IMAGES_DIR, { recursive: true });
          copyFileSync(path, join(IMAGES_DIR, file));
        }
        return path;
      },
      waitForState: <S, T>(what: string, probe: (state: S) => T | undefined, timeoutMs = DEADLINE.backend) => pollState(what, (since, waitMs) => admin<S & { state_version?: number }>('GET', since === undefined ? '/_emulator/state' : `/_emulator/state?since=${since}&wait_ms=${waitMs ?? 0}`), probe, timeoutMs),
      exthostLogTail: (lines = 40) => tail(server.exthostLog(), lines),
      restartCodeServer: async () => {
        // Like closing VS Code and opening it again: same profile (global storage, secrets), same workspace.
        await workbench.close();
        await server.stop({ keep: true });
        server = await launchCodeServer({ ...launchOptions, reuseRunDir: server.runDir });
        workbench = await openWorkbench(server);
        workbench.page.setDefaultTimeout(DEADLINE.ui);
        await waitForExtensionHost(workbench.page);
      },
      openAnotherWindow: async () => {
        const other = await openWorkbench(server);
        let closed = false;
        const close = async (): Promise<void> => {
          if (closed) return;
          closed = true;
          await other.close();
        };
        stops.push(close);
        other.page.setDefaultTimeout(DEADLINE.ui);
        await waitForExtensionHost(other.page);
        return { page: other.page, openDatahubView: () => openDatahubView(other.page), close };
      },
      stop,
    };
    return session;
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Registers before/afterEach/after hooks in the enclosing describe(): one session for the suite,
 * a screenshot (and the extension host log tail) for every failed test. Returns an accessor.
 */
export function useSession(options: SessionOptions = {}): () => Session {
  let session: Session | undefined;
  let failures = 0;
  before(async function () {
    this.timeout(DEADLINE.start);
    session = await startSession(options);
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (session && test?.state === 'failed') {
      failures++;
      const path = await session.screenshot(test.fullTitle()).catch(() => undefined);
      if (path) console.log(`      screenshot: ${path}`);
    }
  });
  after(async function () {
    this.timeout(DEADLINE.ui * 2);
    if (!session) return;
    // The extension host writes its log out on exit: stop first, keeping the profile, then read it.
    await session.stop({ keep: failures > 0 });
    if (failures > 0) console.log(`      --- extension host log (tail) ---\n${session.exthostLogTail(40).replace(/^(?=.)/gm, '      ')}`);
  });
  return () => {
    if (!session) throw new Error('the e2e session did not start (see the before all hook)');
    return session;
  };
}

/** Waits until the workbench is interactive: the status bar and the activity bar have rendered. */
async function waitForExtensionHost(page: Page): Promise<void> {
  await page.locator('.part.statusbar').waitFor({ timeout: DEADLINE.start });
  await page.locator('.part.activitybar [aria-label^="Datahub"]').first().waitFor({ timeout: DEADLINE.start });
}

async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Enter only once the palette shows the command as the focused entry.
  const focused = page.locator('.quick-input-widget .monaco-list-row.focused');
  await focused.filter({ hasText: title }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

async function openDatahubView(page: Page): Promise<void> {
  const item = page.locator('.part.activitybar [aria-label^="Datahub"]').first();
  await item.waitFor({ state: 'visible' });
  // A second click on an active container would close the side bar: click only when it is not shown.
  const container = item.locator('xpath=ancestor-or-self::li[1]');
  const active = (await container.getAttribute('aria-selected').catch(() => null)) === 'true' || (await container.getAttribute('class').catch(() => ''))?.includes('checked');
  if (!active) await item.click();
  await page.locator('.part.sidebar .composite.title', { hasText: /datahub/i }).first().waitFor({ state: 'visible' });
}

async function explorerItem(page: Page, file: string): Promise<Locator> {
  const explorerVisible = await page.locator('.part.sidebar .explorer-folders-view').isVisible().catch(() => false);
  if (!explorerVisible) await page.keyboard.press('Control+Shift+E');
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label=${JSON.stringify(file)}]`).first();
  // A file the test just wrote shows when the file watcher reports it; on a loaded machine that event can come late
  // or not at all (seen in a CI run), so the Explorer is refreshed as a person would, until the file is listed.
  const deadline = Date.now() + DEADLINE.ui;
  while (!(await row.isVisible())) {
    if (Date.now() > deadline) throw new Error(`the Explorer does not list ${file}`);
    await row.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    if (!(await row.isVisible())) await runCommand(page, 'Refresh Explorer');
  }
  return row;
}

async function clickMenuItem(page: Page, label: string): Promise<void> {
  const entry = page.locator('.context-view .monaco-menu .action-item').filter({ has: page.locator('.action-label', { hasText: label }) }).first();
  await entry.waitFor({ state: 'visible' });
  // A mouse click right after the menu opened can be swallowed by the menu; hovering focuses the
  // entry and Enter runs it, as reliably as a person's click.
  await entry.hover();
  await page.locator('.context-view .monaco-menu .action-item.focused').filter({ has: page.locator('.action-label', { hasText: label }) }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden' });
}

async function uploadFromExplorer(page: Page, file: string, subtask: string): Promise<void> {
  const item = await explorerItem(page, file);
  await item.click({ button: 'right' });
  await clickMenuItem(page, 'Upload to Datahub…');
  await pick(page, subtask);
  await quickInput(page).waitFor({ state: 'hidden' });
}

const quickInput = (page: Page): Locator => page.locator('.quick-input-widget .quick-input-box input');

/** The view of the Datahub container titled `title` (the sidebar pane whose header starts with it). */
export function pane(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }) }).first();
}

/** The first tree row in `container` holding `text`. */
export function row(container: Locator, text: string | RegExp): Locator {
  return container.locator('.monaco-list-row', { hasText: text }).first();
}

/**
 * Opens the tree row `parent` until `child` shows under it. A click that lands while the view re-renders (a
 * refresh after a save, a poll) can be lost, leaving the node folded; so the row is looked at again and clicked
 * again while it is still folded, until the child shows or the deadline passes.
 */
export async function expandUntil(parent: Locator, child: Locator): Promise<void> {
  const deadline = Date.now() + DEADLINE.ui;
  while (!(await child.isVisible())) {
    if (Date.now() > deadline) throw new Error(`the tree row ${String(parent)} did not open to show ${String(child)}`);
    if ((await parent.getAttribute('aria-expanded').catch(() => null)) !== 'true') await parent.click({ timeout: DEADLINE.ui }).catch(() => undefined);
    await child.waitFor({ state: 'visible', timeout: 500 }).catch(() => undefined);
  }
}

/** Answers the open input box like a person: types `value` (when given, else keeps what is there) and presses Enter. */
export async function answerInput(page: Page, value?: string): Promise<void> {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  if (value !== undefined) await input.fill(value);
  await page.keyboard.press('Enter');
}

/**
 * Chooses `folder` in VS Code's own folder dialog (the simple file dialog of a browser workbench) and clicks OK
 * once the dialog lists `listed` (a name inside that folder: the dialog has read it), until `next` shows. The dialog fills in its starting folder asynchronously and, on a loaded machine, can do
 * so after the test typed: the typed path is replaced and OK picks the wrong folder (or none). So the path is
 * typed again whenever the dialog shows another one, and OK is clicked only while it shows ours.
 */
export async function chooseFolder(page: Page, dialogTitle: string, folder: string, listed: string, next: Locator): Promise<void> {
  const dialog = page.locator('.quick-input-widget .quick-input-title', { hasText: dialogTitle });
  const input = quickInput(page);
  const ok = page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ }).first();
  const listedRow = page.locator('.quick-input-widget .monaco-list-row', { hasText: listed }).first();
  await dialog.waitFor({ state: 'visible' });
  const deadline = Date.now() + DEADLINE.ui;
  while (!(await next.isVisible())) {
    if (Date.now() > deadline) throw new Error(`the folder dialog "${dialogTitle}" did not go on with ${folder}`);
    if (await dialog.isVisible()) {
      if ((await input.inputValue()) !== folder) await input.fill(folder);
      else if (await listedRow.isVisible()) await ok.click({ timeout: DEADLINE.ui }).catch(() => undefined); // the dialog may close under the click
    }
    // Wait for the next step a moment, then look at the dialog again (the page is polled, no fixed sleep).
    await next.waitFor({ state: 'visible', timeout: 500 }).catch(() => undefined);
  }
}

/**
 * Accepts the open multi-select quick pick with its OK button until `next` shows. A key press right after the pick
 * opened can reach the page that had the focus before it (a webview, seen in a full run) and be lost; the button
 * takes a click wherever the focus is. Clicked again only while the checkbox list is still the one on screen.
 */
export async function acceptChecked(page: Page, next: Locator): Promise<void> {
  const ok = page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ }).first();
  const checkboxes = page.locator('.quick-input-widget .monaco-list-row[aria-checked]').first();
  const deadline = Date.now() + DEADLINE.ui;
  while (!(await next.isVisible())) {
    if (Date.now() > deadline) throw new Error('the quick pick was not accepted');
    if (await checkboxes.isVisible()) await ok.click({ timeout: DEADLINE.ui }).catch(() => undefined); // it may close under the click
    await next.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => undefined);
  }
}

/** Picks in the open quick pick: types `text`, and Enter once the focused entry shows it. */
export async function pick(page: Page, text: string): Promise<void> {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: text }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}
