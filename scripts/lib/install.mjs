// What the tool installers share: an install lock between processes, and the environment npm/node-gyp
// children run in (without the npm_* variables of an enclosing `npm test`).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { log, repoRoot, sleep } from './proc.mjs';

/** Where tools are cached: $DATAHUB_TOOLS_CACHE, or the ignored .vscode-test/ of the repository. */
export function toolsCacheDir() {
  return resolve(process.env.DATAHUB_TOOLS_CACHE || join(repoRoot, '.vscode-test'));
}

/** Environment for npm/node-gyp children: without the npm_* variables of an enclosing `npm test`
 *  (npm_config_local_prefix would send installs to the repository), and with Node's own headers. */
export function npmEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
  const headers = resolve(dirname(process.execPath), '..');
  if (existsSync(join(headers, 'include', 'node', 'node.h'))) env.npm_config_nodedir = headers;
  env.npm_config_update_notifier = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  env.npm_config_yes = 'true';
  return env;
}

/** Runs `body` holding the lock folder `lockDir` (a stale lock of a dead process is taken over); waits up to 20 min. */
export async function withLock(lockDir, body, scope = 'tools') {
  const deadline = Date.now() + 20 * 60_000;
  let lastNotice = 0;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {
        // being written right now
      }
      let alive = false;
      if (Number.isInteger(holder) && holder > 0) {
        try {
          process.kill(holder, 0);
          alive = true;
        } catch {
          alive = false;
        }
      } else alive = true;
      if (!alive) {
        log(scope, `removing a stale install lock of process ${holder}`);
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`waited 20 min for the install lock ${lockDir} (held by process ${holder})`);
      if (Date.now() - lastNotice > 30_000) {
        log(scope, `another process (${holder}) holds ${lockDir}; waiting for it`);
        lastNotice = Date.now();
      }
      await sleep(3000);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
