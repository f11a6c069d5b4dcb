// Starts the backend emulator as a child process (`datahub emulator`) and returns its URL and a stop().
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { killGroup, log, repoRoot } from './proc.mjs';

const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+/;

/**
 * Runs `node bin/datahub.js emulator --port P --data DIR [--seed] [--store PROFILE]` (the built emulator bundle).
 * `store` is the object store profile (s3-sigv2 — the default, the strictest —, oss, s3-sigv4, lenient). Until it
 * is built it falls back to emulator/server.ts through tsx, so the harness works from sources too.
 * Resolves once the emulator printed its URL. `dataDir` defaults to a temp folder removed on stop.
 * `allowInputDirs`: folders besides the data dir that the admin API's `input_file` paths may read.
 */
export async function startEmulator({ port = 0, dataDir, seed = false, quiet = true, timeoutMs = 30_000, allowInputDirs = [], store } = {}) {
  const ownDataDir = dataDir === undefined;
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'datahub-emulator-'));
  mkdirSync(dir, { recursive: true });
  const cli = join(repoRoot, 'dist', 'emulator.js');
  const useCli = existsSync(cli) && existsSync(join(repoRoot, 'emulator', 'main.ts'));
  const args = useCli
    ? [join(repoRoot, 'bin', 'datahub.js'), 'emulator', '--port', String(port), '--data', dir, ...(seed ? ['--seed'] : []), ...allowInputDirs.flatMap((d) => ['--allow-input-dir', d]), ...(store ? ['--store', store] : [])]
    : [
      '--require', 'tsx/cjs', '-e',
        `require(${JSON.stringify(join(repoRoot, 'emulator', 'server.ts'))})
          .startEmulator({ port: ${Number(port)}, dataDir: ${JSON.stringify(dir)}, seed: ${seed}, allowInputDirs: ${JSON.stringify(allowInputDirs)}, store: ${JSON.stringify(store ? { profile: store } : {})}, log: (l) => console.error(l) })
          .then((e) => console.log('Datahub emulator listening on ' + e.url), (err) => { console.error(err); process.exit(1); });`,
    ];
  const child = spawn(process.execPath, args, { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator printed no URL within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const onData = (data) => {
      const text = data.toString();
      output += text;
      if (!quiet) process.stdout.write(text.replace(/^(?=.)/gm, '  emulator| '));
      const match = URL_PATTERN.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited (${signal ?? `code ${code}`}) before listening:\n${output}`));
    });
  });
  // Keep draining its output so a chatty emulator never blocks on a full pipe.
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  const drain = (data) => {
    if (!quiet) process.stdout.write(data.toString().replace(/^(?=.)/gm, '  emulator| '));
  };
  child.stdout.on('data', drain);
  child.stderr.on('data', drain);
  log('emulator', `listening on ${url} (data ${dir}${useCli ? '' : ', from sources via tsx'})`);
  return {
    url,
    dataDir: dir,
    async stop() {
      await killGroup(child, 3000);
      if (ownDataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls the emulator's admin API (`/_emulator/...`) and returns the parsed JSON answer. */
export async function emulatorAdmin(url, method, path, body) {
  const target = new URL(path.startsWith('/_emulator') ? path : `/_emulator${path.startsWith('/') ? '' : '/'}${path}`, url);
  const res = await fetch(target, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${target.pathname} → ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}
