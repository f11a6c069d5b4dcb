// Launches code-server with our extension in a fresh profile (user data + extensions dir per run),
// and opens its workbench in Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerDir, codeServerFlags, codeServerReady } from '../ensure-tools.mjs';
import { freePort, killGroup, log, repoRoot, waitForHttp } from './proc.mjs';

export const RUNS_DIR = join(repoRoot, '.vscode-test', 'runs');

/** What our extension needs at run time (what a .vsix would hold). */
const EXTENSION_FILES = ['package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'l10n', 'dist', 'media', 'syntaxes', 'README.md', 'LICENSE', 'CHANGELOG.md'];

/** User settings for a run against the emulator at `emulatorUrl`: every endpoint points at it. */
export function emulatorSettings(emulatorUrl) {
  return {
    'datahub.endpoints.datahub': emulatorUrl,
    'datahub.endpoints.ingest': emulatorUrl,
    'datahub.endpoints.media': emulatorUrl,
    'datahub.endpoints.pandora': emulatorUrl,
    'datahub.endpoints.multipart': emulatorUrl,
    'datahub.ipfs.apiUrl': emulatorUrl,
  };
}

/** Settings that keep a test workbench quiet and predictable (no welcome page, tips, trust prompt). */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  'files.hotExit': 'off',
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
  'notebook.experimental.remoteSave': false,
};

function packageIdentity(folder) {
  const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  return `${pkg.publisher}.${pkg.name}-${pkg.version}`;
}

/** Copies our built extension into `extensionsDir` the way VS Code lays out an installed one. */
export function installOurExtension(extensionsDir) {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.mjs` first');
  const target = join(extensionsDir, packageIdentity(repoRoot));
  mkdirSync(target, { recursive: true });
  for (const name of EXTENSION_FILES) {
    const source = join(repoRoot, name);
    if (existsSync(source)) cpSync(source, join(target, name), { recursive: true });
  }
  return target;
}

/**
 * The workbench URL's payload that makes the extension host run `testsPath` (its `run()`) as VS Code's extension tests,
 * with our installed copy as the extension under development: the extension then runs in ExtensionMode.Test, the only
 * mode in which it hands out its testing API. (VS Code for the browser has no --extensionTestsPath flag; the web
 * workbench reads the same two options from this payload, as URIs of the remote, i.e. code-server's, file system.)
 */
function testPayload(port, extensionDir, testsPath) {
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path.split('/').map(encodeURIComponent).join('/')}`;
  return [
    ['extensionDevelopmentPath', remote(extensionDir)],
    ['extensionTestsPath', remote(testsPath)],
  ];
}

/** Removes run folders left behind by crashed runs (older than a day). */
function pruneOldRuns() {
  if (!existsSync(RUNS_DIR)) return;
  for (const name of readdirSync(RUNS_DIR)) {
    const dir = join(RUNS_DIR, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > 24 * 3600_000) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another run removed it
    }
  }
}

/**
 * Starts code-server on a free port (the preferred one if free) with a fresh profile in
 * .vscode-test/runs/<name>-…/, our extension and `extraExtensions` (folders) installed, the given
 * user settings (on top of QUIET_SETTINGS) and extra environment (which reaches the extension host).
 */
export async function launchCodeServer({ workspace, env = {}, settings = {}, extraExtensions = [], name = 'run', port: preferredPort, keep = false, quiet = true, reuseRunDir, locale, languagePack, testsPath } = {}) {
  const csDir = codeServerDir();
  if (!codeServerReady(csDir)) throw new Error(`code-server is not installed in ${csDir}: run \`node scripts/ensure-tools.mjs\``);
  // reuseRunDir: start again on the profile of an earlier launch (a restart: same global storage, same extensions).
  if (!reuseRunDir) pruneOldRuns();
  const runDir = reuseRunDir ?? join(RUNS_DIR, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  if (!reuseRunDir) {
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    installOurExtension(extensionsDir);
    for (const folder of extraExtensions) cpSync(folder, join(extensionsDir, packageIdentity(folder)), { recursive: true });
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
    if (languagePack) installLanguagePack(languagePack, extensionsDir, userDataDir);
  }

  const port = await freePort(preferredPort);
  const logFile = join(runDir, 'code-server.log');
  const logStream = createWriteStream(logFile);
  const localeFlags = locale ? ['--locale', locale] : [];
  const child = spawn(process.execPath, [join(csDir, 'out', 'node', 'entry.js'), ...codeServerFlags({ port, runDir, userDataDir, extensionsDir }), ...localeFlags, workspace], {
    cwd: runDir,
    detached: true,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (data) => {
      logStream.write(data);
      if (!quiet) process.stdout.write(data.toString().replace(/^(?=.)/gm, '  code-server| '));
    });
  }
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, { timeoutMs: 90_000, isAlive: () => child.exitCode === null, what: 'code-server' });
  } catch (err) {
    await killGroup(child);
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- ${logFile} ---\n${safeRead(logFile).slice(-4000)}`);
  }
  log('code-server', `listening on ${url} (profile ${runDir})`);
  let stopped = false;
  return {
    url,
    port,
    runDir,
    userDataDir,
    extensionsDir,
    workspace,
    logFile,
    /** URL of the workbench with the workspace folder open (and, with `testsPath`, the extension under test). */
    workbenchUrl: `${url}/?folder=${encodeURIComponent(workspace)}${testsPath ? `&payload=${encodeURIComponent(JSON.stringify(testPayload(port, join(extensionsDir, packageIdentity(repoRoot)), testsPath)))}` : ''}`,
    /** The extension host's log (where console output and activation errors of extensions land). */
    exthostLog: () => findExthostLog(userDataDir),
    /** Every extension host log of this run, newest first. */
    exthostLogs: () => findExthostLogs(userDataDir),
    /** Stops the server; the profile folder is removed unless `keep` (then its logs are complete:
     *  the extension host flushes its log on exit). */
    async stop({ keep: keepNow = false } = {}) {
      if (stopped) return;
      stopped = true;
      await killGroup(child);
      logStream.end();
      if (!keep && !keepNow && process.env.DATAHUB_KEEP_RUNS !== '1') rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/**
 * Installs the language pack extension in `folder` and registers its languages in the profile's languagepacks.json,
 * as VS Code does when it installs one, so that the very first start with `--locale` already uses it.
 */
function installLanguagePack(folder, extensionsDir, userDataDir) {
  const target = join(extensionsDir, packageIdentity(folder));
  cpSync(folder, target, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
  const packs = {};
  for (const localization of pkg.contributes?.localizations ?? []) {
    const translations = Object.fromEntries((localization.translations ?? []).map((t) => [t.id, join(target, t.path)]));
    packs[localization.languageId] = {
      hash: createHash('md5').update(`${pkg.publisher}.${pkg.name}@${pkg.version}`).digest('hex'),
      extensions: [{ extensionIdentifier: { id: `${pkg.publisher}.${pkg.name}` }, version: pkg.version }],
      translations,
      label: localization.localizedLanguageName ?? localization.languageName,
    };
  }
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify(packs, null, 2));
}

function safeRead(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The extension host logs, `<user-data-dir>/logs/<session>/exthost<N>/remoteexthost.log`, newest
 * session first (a page reload starts another extension host with its own log).
 */
export function findExthostLogs(userDataDir) {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return [];
  const found = [];
  for (const session of readdirSync(logs).sort().reverse()) {
    const sessionDir = join(logs, session);
    if (!statSync(sessionDir).isDirectory()) continue;
    for (const host of readdirSync(sessionDir).filter((d) => d.startsWith('exthost')).sort().reverse()) {
      const file = join(sessionDir, host, 'remoteexthost.log');
      if (existsSync(file)) found.push(file);
    }
  }
  return found;
}

/** The newest extension host log, if any. */
export function findExthostLog(userDataDir) {
  return findExthostLogs(userDataDir)[0];
}

/** The last `lines` lines of a file ('' when it does not exist), without the extension host's
 *  list of every extension path that follows each "Could not identify extension" warning. */
export function tail(file, lines = 60) {
  if (!file) return '';
  return safeRead(file).split('\n').filter((line) => !line.startsWith('\tfile://')).slice(-lines).join('\n');
}

/** Chromium flags for this offline machine (see shared/notes/vscode-offline.md). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/**
 * Opens the workbench of a launched code-server in headless Debian Chromium and waits for
 * `.monaco-workbench`. Returns { browser, context, page, close() }.
 */
export async function openWorkbench(server, { headless = true, viewport = { width: 1440, height: 900 }, timeoutMs = 90_000 } = {}) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.DATAHUB_CHROMIUM ?? '/usr/bin/chromium', headless, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    // vscode.env.clipboard in the extension host goes through the page's navigator.clipboard, which
    // headless Chromium leaves pending forever without these permissions.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.workbenchUrl).origin });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(server.workbenchUrl, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
    log('browser', `workbench loaded (${server.workbenchUrl})`);
    return { browser, context, page, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
