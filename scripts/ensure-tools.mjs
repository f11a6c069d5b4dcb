// Installs what the integration and e2e tests need and the npm registry alone cannot give: Debian's
// chromium / ripgrep / ipfs-cid (+ a compiler), and code-server 4.100.3 built for this Node, offline.
// Idempotent and fast when everything is there. Run: node scripts/ensure-tools.mjs [--no-chromium] [--third-party] [--dry-run]
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync, copyFileSync, symlinkSync, readdirSync } from 'node:fs';
import { spawn, execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { npmEnv, toolsCacheDir, withLock } from './lib/install.mjs';
import { ensureThirdPartyServers } from './lib/thirdParty.mjs';
import { freePort, killGroup, log, run, runWithRetry, waitForHttp } from './lib/proc.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
const MARKER = '.datahub-ready.json';

export { toolsCacheDir };

export function codeServerDir() {
  return join(toolsCacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

// ---------------------------------------------------------------------------------------------
// Debian packages

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, name))) return true;
  return false;
}

/** Each needed Debian package with the file whose absence means it is missing. */
function debianRequirements({ chromium }) {
  return [
    ...(chromium ? [{ pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') }] : []),
    // Draws the Chinese of the zh-CN e2e walk (without it the screenshot shows boxes).
    ...(chromium ? [{ pkg: 'fonts-noto-cjk', present: () => existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') }] : []),
    { pkg: 'ripgrep', present: () => existsSync('/usr/bin/rg') || onPath('rg') },
    { pkg: 'ipfs-cid', present: () => existsSync('/usr/bin/ipfs_cid') },
    // node-gyp needs these for code-server's native modules (present on a standard machine).
    { pkg: 'make', present: () => onPath('make') },
    { pkg: 'g++', present: () => onPath('g++') },
    { pkg: 'python3', present: () => onPath('python3') },
  ];
}

/** The packages that are missing (`pretendMissing` lets a dry run exercise the install branch). */
export function missingDebianPackages({ chromium = true, pretendMissing = [] } = {}) {
  return debianRequirements({ chromium })
    .filter((r) => pretendMissing.includes(r.pkg) || !r.present())
    .map((r) => r.pkg);
}

function aptCommands(packages) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = isRoot ? [] : onPath('sudo') ? ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive'] : undefined;
  if (prefix === undefined) return undefined;
  const apt = [...prefix, 'apt-get', '-o', 'DPkg::Lock::Timeout=600'];
  return [
    [...apt, 'update'],
    [...apt, 'install', '-y', '--no-install-recommends', ...packages],
  ];
}

export async function ensureDebianPackages({ chromium = true, dryRun = false, pretendMissing = [] } = {}) {
  const missing = missingDebianPackages({ chromium, pretendMissing });
  if (missing.length === 0) {
    log('tools', `Debian packages present (${debianRequirements({ chromium }).map((r) => r.pkg).join(', ')})`);
    return missing;
  }
  const commands = aptCommands(missing);
  if (commands === undefined) {
    throw new Error(`missing Debian packages ${missing.join(' ')}, and this user is not root and has no sudo: install them by hand`);
  }
  log('tools', `missing Debian packages: ${missing.join(' ')}`);
  // Recommended with chromium but skipped by --no-install-recommends: readable text in screenshots.
  if (missing.includes('chromium')) commands[1].push('fonts-liberation');
  for (const [command, ...args] of commands) {
    if (dryRun) log('tools', `dry run, would run: ${[command, ...args].join(' ')}`);
    else await runWithRetry(command, args, { scope: 'apt', env: { DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (!dryRun) {
    const still = missingDebianPackages({ chromium });
    if (still.length > 0) throw new Error(`apt-get finished but these are still missing: ${still.join(' ')}`);
  }
  return missing;
}

// ---------------------------------------------------------------------------------------------
// code-server

/** Native modules that must load for the server, its extension host, terminals and file watching. */
const NATIVE_MODULES = {
  'lib/vscode': ['node-pty', '@vscode/spdlog', 'native-watchdog', '@parcel/watcher', '@vscode/deviceid'],
  '.': ['argon2'],
};

function readMarker(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when the cached code-server is complete and was built for this Node ABI. */
export function codeServerReady(dir = codeServerDir()) {
  const marker = readMarker(dir);
  return marker !== undefined && marker.version === CODE_SERVER_VERSION && marker.modules === process.versions.modules && existsSync(join(dir, 'out', 'node', 'entry.js'));
}

function npm(args, cwd) {
  // pack and install fetch from the registry: worth a retry; a failed rebuild is not.
  const fetches = args[0] === 'pack' || args[0] === 'install';
  return (fetches ? runWithRetry : run)('npm', args, { cwd, scope: 'code-server', capture: true, env: npmEnvCache ??= npmEnv(), replaceEnv: true });
}
let npmEnvCache;

/** node-gyp as bundled with npm, for a module whose install script npm's policy skipped. */
function nodeGypScript() {
  const npmCli = realpathSync(execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
  const candidate = join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return existsSync(candidate) ? candidate : undefined;
}

/** Checks that each native module loads in this Node; returns the ones that do not. */
function failingNatives(cwd, modules) {
  const failing = [];
  for (const name of modules) {
    try {
      execFileSync(process.execPath, ['-e', `require(${JSON.stringify(name)})`], { cwd, stdio: 'pipe', env: npmEnv() });
    } catch (err) {
      failing.push({ name, error: String(err.stderr ?? err.message).split('\n').find((l) => /Error/.test(l)) ?? 'failed to load' });
    }
  }
  return failing;
}

/** Builds code-server's native modules; `useNpm: false` goes straight to the node-gyp fallback. */
export async function rebuildNatives(packageDir, { useNpm = true } = {}) {
  for (const [sub, modules] of Object.entries(NATIVE_MODULES)) {
    const cwd = join(packageDir, sub);
    if (useNpm) await npm(['rebuild', ...modules], cwd);
    let failing = failingNatives(cwd, modules);
    if (failing.length > 0) {
      // npm's allow-scripts policy may have skipped the build scripts: build them with node-gyp directly.
      const gyp = nodeGypScript();
      log('code-server', `not built by npm rebuild: ${failing.map((f) => f.name).join(', ')}; building them with node-gyp`);
      for (const { name } of failing) {
        const moduleDir = join(cwd, 'node_modules', name);
        const installScript = JSON.parse(readFileSync(join(moduleDir, 'package.json'), 'utf8')).scripts?.install;
        // The package's own install script when it has one (argon2: node-pre-gyp, which falls back
        // to a local build); else what npm does by default for a binding.gyp: node-gyp rebuild.
        if (installScript) await npm(['run', 'install'], moduleDir);
        else if (gyp && existsSync(join(moduleDir, 'binding.gyp'))) {
          await run(process.execPath, [gyp, 'rebuild'], { cwd: moduleDir, scope: 'code-server', capture: true, env: npmEnv(), replaceEnv: true });
        }
      }
      failing = failingNatives(cwd, modules);
    }
    if (failing.length > 0) {
      throw new Error(`native modules of code-server do not load: ${failing.map((f) => `${f.name} (${f.error})`).join(', ')}`);
    }
    log('code-server', `native modules load in ${sub === '.' ? 'code-server' : sub}: ${modules.join(', ')}`);
  }
}

/** Starts the freshly built server once and asks /healthz, so a broken build is never marked ready. */
async function smokeTest(packageDir) {
  const scratch = join(tmpdir(), `datahub-cs-smoke-${process.pid}`);
  mkdirSync(join(scratch, 'ws'), { recursive: true });
  const port = await freePort();
  const child = spawn(process.execPath, [join(packageDir, 'out', 'node', 'entry.js'), ...codeServerFlags({ port, runDir: scratch }), join(scratch, 'ws')], {
    cwd: packageDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 60_000, isAlive: () => child.exitCode === null, what: 'code-server (smoke test)' });
    log('code-server', `smoke test: code-server ${CODE_SERVER_VERSION} answered on port ${port}`);
  } catch (err) {
    process.stdout.write(output.slice(-4000));
    throw err;
  } finally {
    await killGroup(child);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The command-line flags used for every code-server start (see shared/notes/vscode-offline.md). */
export function codeServerFlags({ port, runDir, userDataDir = join(runDir, 'user-data'), extensionsDir = join(runDir, 'extensions') }) {
  return [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Its own config file: code-server otherwise writes ~/.config/code-server/config.yaml.
    '--config', join(runDir, 'code-server.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
}

/**
 * code-server 4.100.3 in `codeServerDir()`, installed from the npm registry without its postinstall
 * (which needs --unsafe-perm and downloads ripgrep): built in a staging folder, checked, marked, then
 * renamed into place, so a half-done install is never taken for a finished one.
 */
export async function ensureCodeServer() {
  const dir = codeServerDir();
  if (codeServerReady(dir)) {
    log('tools', `code-server ${CODE_SERVER_VERSION} ready in ${dir}`);
    return dir;
  }
  const cache = toolsCacheDir();
  mkdirSync(cache, { recursive: true });
  return withLock(join(cache, `.code-server-${CODE_SERVER_VERSION}.lock`), async () => {
    if (codeServerReady(dir)) return dir;
    const started = Date.now();
    // Holding the lock, no other install runs: staging folders left by a killed one can go.
    for (const name of readdirSync(cache)) if (name.startsWith('.code-server-staging-')) rmSync(join(cache, name), { recursive: true, force: true });
    const staging = join(cache, `.code-server-staging-${process.pid}`);
    mkdirSync(staging, { recursive: true });
    log('code-server', `installing code-server ${CODE_SERVER_VERSION} into ${dir} (a few minutes, once)`);

    log('code-server', 'step 1/7: npm pack (download the package tarball from the npm registry)');
    await npm(['pack', `code-server@${CODE_SERVER_VERSION}`, '--pack-destination', staging], staging);
    const tarball = readdirSync(staging).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');

    log('code-server', 'step 2/7: unpack');
    await run('tar', ['-xzf', tarball], { cwd: staging, scope: 'code-server' });
    rmSync(join(staging, tarball));
    const pkg = join(staging, 'package');

    log('code-server', 'step 3/7: npm install --omit=dev --ignore-scripts (code-server, lib/vscode, built-in extensions)');
    await npm(['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], pkg);
    await npm(['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], join(pkg, 'lib', 'vscode'));
    await npm(['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], join(pkg, 'lib', 'vscode', 'extensions'));

    log('code-server', 'step 4/7: ripgrep from Debian (its npm package would download one)');
    const rgSource = existsSync('/usr/bin/rg') ? '/usr/bin/rg' : execFileSync('bash', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
    const rgDir = join(pkg, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(rgDir, { recursive: true });
    copyFileSync(rgSource, join(rgDir, 'rg'));
    execFileSync('chmod', ['755', join(rgDir, 'rg')]);

    log('code-server', 'step 5/7: build the native modules against this Node');
    await rebuildNatives(pkg);

    log('code-server', 'step 6/7: links the postinstall would make');
    const vscodeDir = join(pkg, 'lib', 'vscode');
    rmSync(join(vscodeDir, 'node_modules.asar'), { force: true, recursive: true });
    symlinkSync('node_modules', join(vscodeDir, 'node_modules.asar'));
    for (const [sub, source, dest] of [['remote-cli', 'code-linux.sh', 'code-server'], ['helpers', 'browser-linux.sh', 'browser.sh']]) {
      const binDir = join(vscodeDir, 'bin', sub);
      if (existsSync(join(binDir, source))) {
        rmSync(join(binDir, dest), { force: true });
        symlinkSync(source, join(binDir, dest));
      }
    }

    log('code-server', 'step 7/7: smoke test, then mark ready');
    await smokeTest(pkg);
    writeFileSync(join(pkg, MARKER), JSON.stringify({ version: CODE_SERVER_VERSION, node: process.version, modules: process.versions.modules, installedAt: new Date().toISOString() }, null, 2));
    rmSync(dir, { recursive: true, force: true });
    renameSync(pkg, dir);
    rmSync(staging, { recursive: true, force: true });
    log('code-server', `installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return dir;
  });
}

/** Everything the integration (`chromium: true`) or demo (`chromium: false`) runs need; `thirdParty`: also
 *  the servers of the third-party test stage (scripts/lib/thirdParty.mjs). */
export async function ensureTools({ chromium = true, thirdParty = false, dryRun = false, pretendMissing = [] } = {}) {
  const started = Date.now();
  await ensureDebianPackages({ chromium, dryRun, pretendMissing });
  const dir = dryRun ? codeServerDir() : await ensureCodeServer();
  if (dryRun) log('tools', `dry run: code-server ${codeServerReady() ? 'is ready' : 'would be installed'} in ${dir}`);
  if (thirdParty && !dryRun) await ensureThirdPartyServers();
  log('tools', `tools ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { codeServerDir: dir };
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const pretend = args.find((a) => a.startsWith('--pretend-missing='));
  ensureTools({
    chromium: !args.includes('--no-chromium'),
    thirdParty: args.includes('--third-party'),
    dryRun: args.includes('--dry-run'),
    pretendMissing: pretend ? pretend.slice('--pretend-missing='.length).split(',') : [],
  }).catch((err) => {
    console.error(`ensure-tools: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
