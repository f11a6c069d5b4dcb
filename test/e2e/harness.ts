// e2e harness: a fresh emulator + code-server (our extension, settings pointing at the emulator) +
// headless Debian Chromium on the workbench, and the gestures a person makes (palette, views, menus).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, Locator, Page } from 'playwright-core';
import { emulatorAdmin, startEmulator } from '../../scripts/lib/emulator.mjs';
import { emulatorSettings, launchCodeServer, openWorkbench, tail } from '../../scripts/lib/codeserver.mjs';
import { createSampleWorkspace } from '../../scripts/lib/workspace.mjs';
import { repoRoot } from '../../scripts/lib/proc.mjs';

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
  /** The tail of the extension host's log (complete only after stop({ keep: true })). */
  exthostLogTail(lines?: number): string;
  /** Stops code-server and the browser and starts both again on the same profile (a restart). */
  restartCodeServer(): Promise<void>;
  /** Stops everything; `keep` leaves the code-server profile (logs) in .vscode-test/runs/. */
  stop(options?: { keep?: boolean }): Promise<void>;
}

export const RESULTS_DIR = join(repoRoot, 'test-results');

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
    };
    let server = await launchCodeServer(launchOptions);
    stops.push(() => server.stop({ keep: keepProfile }));
    let workbench = await openWorkbench(server);
    stops.push(() => workbench.close());
    await waitForExtensionHost(workbench.page);

    const session: Session = {
      get page() {
        return workbench.page;
      },
      get browser() {
        return workbench.browser;
      },
      emulatorUrl: emulator.url,
      workspace,
      admin: <T>(method: string, path: string, body?: unknown) => emulatorAdmin(emulator.url, method, path, body) as Promise<T>,
      runCommand: (title) => runCommand(workbench.page, title),
      openDatahubView: () => openDatahubView(workbench.page),
      explorerItem: (file) => explorerItem(workbench.page, file),
      clickMenuItem: (label) => clickMenuItem(workbench.page, label),
      uploadFromExplorer: (file, subtask) => uploadFromExplorer(workbench.page, file, subtask),
      statusBarTexts: () => workbench.page.locator('.part.statusbar .statusbar-item').allInnerTexts(),
      screenshot: async (shot) => {
        mkdirSync(RESULTS_DIR, { recursive: true });
        const path = join(RESULTS_DIR, `${safeName(name)}-${safeName(shot)}.png`);
        await workbench.page.screenshot({ path, fullPage: true });
        return path;
      },
      exthostLogTail: (lines = 40) => tail(server.exthostLog(), lines),
      restartCodeServer: async () => {
        // Like closing VS Code and opening it again: same profile (global storage, secrets), same workspace.
        await workbench.close();
        await server.stop({ keep: true });
        server = await launchCodeServer({ ...launchOptions, reuseRunDir: server.runDir });
        workbench = await openWorkbench(server);
        await waitForExtensionHost(workbench.page);
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
    this.timeout(240_000);
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
    this.timeout(60_000);
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
  await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
  await page.locator('.part.activitybar [aria-label^="Datahub"]').first().waitFor({ timeout: 60_000 });
}

async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Enter only once the palette shows the command as the focused entry.
  const focused = page.locator('.quick-input-widget .monaco-list-row.focused');
  await focused.filter({ hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
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
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  return row;
}

async function clickMenuItem(page: Page, label: string): Promise<void> {
  const entry = page.locator('.context-view .monaco-menu .action-item').filter({ has: page.locator('.action-label', { hasText: label }) }).first();
  await entry.waitFor({ state: 'visible', timeout: 15_000 });
  // A mouse click right after the menu opened can be swallowed by the menu; hovering focuses the
  // entry and Enter runs it, as reliably as a person's click.
  await entry.hover();
  await page.locator('.context-view .monaco-menu .action-item.focused').filter({ has: page.locator('.action-label', { hasText: label }) }).waitFor({ state: 'visible', timeout: 5000 });
  await page.keyboard.press('Enter');
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden', timeout: 5000 });
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

/** Answers the open input box like a person: types `value` (when given, else keeps what is there) and presses Enter. */
export async function answerInput(page: Page, value?: string): Promise<void> {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  if (value !== undefined) await input.fill(value);
  await page.keyboard.press('Enter');
}

/** Picks in the open quick pick: types `text`, and Enter once the focused entry shows it. */
export async function pick(page: Page, text: string): Promise<void> {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: text }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}
