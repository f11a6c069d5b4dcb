// Installs the servers we did not write that the third-party test stage runs against (an S3-compatible
// server that verifies presigned signatures + the SDK that presigns for it; js-ipfs serving the Kubo RPC
// API) into the ignored tool cache, each from its pinned manifest and lockfile in scripts/third-party/<kit>/.
// Never added to the extension's own dependencies. Run: node scripts/lib/thirdParty.mjs
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { npmEnv, toolsCacheDir, withLock } from './install.mjs';
import { log, repoRoot, run, runWithRetry } from './proc.mjs';

const MARKER = '.datahub-ready.json';

/** The kits: the folder of their manifest, and what must load for the install to count as done. */
export const THIRD_PARTY_KITS = {
  s3: { manifest: join(repoRoot, 'scripts', 'third-party', 's3'), entryPoints: ['@20minutes/s3rver', 'aws-sdk/clients/s3.js'] },
  ipfs: { manifest: join(repoRoot, 'scripts', 'third-party', 'ipfs'), entryPoints: ['ipfs-daemon', 'ipfs-http-server'] },
};

/** A short hash of the kit's manifest + lockfile: a changed pin installs into a new folder. */
function kitHash(kit) {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(THIRD_PARTY_KITS[kit].manifest, file)));
  return hash.digest('hex').slice(0, 12);
}

/** Where `kit` is (or would be) installed: its folder holds package.json and node_modules/. */
export function thirdPartyDir(kit) {
  if (!THIRD_PARTY_KITS[kit]) throw new Error(`unknown third-party kit ${kit}`);
  return join(toolsCacheDir(), `third-party-${kit}-${kitHash(kit)}`);
}

/** The exact versions the kit's manifest pins (its direct dependencies). */
export function thirdPartyVersions(kit) {
  return JSON.parse(readFileSync(join(THIRD_PARTY_KITS[kit].manifest, 'package.json'), 'utf8')).dependencies;
}

export function thirdPartyReady(kit) {
  try {
    const marker = JSON.parse(readFileSync(join(thirdPartyDir(kit), MARKER), 'utf8'));
    return marker.hash === kitHash(kit);
  } catch {
    return false;
  }
}

/** Checks in a child Node that each entry point of the kit resolves and loads (CommonJS or ESM alike). */
async function checkLoads(kit, dir) {
  const script = `Promise.all(${JSON.stringify(THIRD_PARTY_KITS[kit].entryPoints)}.map((e) => import(e))).catch((e) => { console.error(e); process.exit(1); });`;
  await run(process.execPath, ['-e', script], { cwd: dir, scope: `third-party ${kit}`, capture: true, env: { AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' } });
}

/**
 * Installs `kit` with `npm ci --ignore-scripts` from its lockfile into a staging folder of the cache,
 * checks that it loads, marks it, then renames it into place: a half-done install is never taken for a
 * finished one. Idempotent and fast when the kit is there.
 */
export async function ensureThirdPartyKit(kit) {
  const dir = thirdPartyDir(kit);
  const versions = Object.entries(thirdPartyVersions(kit)).map(([n, v]) => `${n}@${v}`).join(', ');
  if (thirdPartyReady(kit)) {
    log('tools', `third-party ${kit} (${versions}) ready in ${dir}`);
    return dir;
  }
  const cache = toolsCacheDir();
  mkdirSync(cache, { recursive: true });
  return withLock(join(cache, `.third-party-${kit}.lock`), async () => {
    if (thirdPartyReady(kit)) return dir;
    const started = Date.now();
    for (const name of readdirSync(cache)) if (name.startsWith(`.third-party-${kit}-staging-`)) rmSync(join(cache, name), { recursive: true, force: true });
    const staging = join(cache, `.third-party-${kit}-staging-${process.pid}`);
    mkdirSync(staging, { recursive: true });
    log(`third-party ${kit}`, `installing ${versions} into ${dir}`);
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(THIRD_PARTY_KITS[kit].manifest, file), join(staging, file));
    // No install scripts: these packages need none to serve (optional native add-ons stay unbuilt).
    await runWithRetry('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: staging, scope: `third-party ${kit}`, capture: true, env: npmEnv(), replaceEnv: true });
    await checkLoads(kit, staging);
    writeFileSync(join(staging, MARKER), JSON.stringify({ hash: kitHash(kit), versions: thirdPartyVersions(kit), node: process.version, installedAt: new Date().toISOString() }, null, 2));
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    log(`third-party ${kit}`, `installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return dir;
  }, `third-party ${kit}`);
}

/** Every kit, one after the other (npm installs in parallel would fight over its cache). */
export async function ensureThirdPartyServers() {
  const dirs = {};
  for (const kit of Object.keys(THIRD_PARTY_KITS)) dirs[kit] = await ensureThirdPartyKit(kit);
  return dirs;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  ensureThirdPartyServers().then(
    (dirs) => {
      for (const [kit, dir] of Object.entries(dirs)) log('tools', `${kit}: ${dir}${existsSync(join(dir, MARKER)) ? '' : ' (not marked)'}`);
    },
    (err) => {
      console.error(`third-party: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
