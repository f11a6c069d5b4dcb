// Process helpers shared by the tool installer and the test runners: logged commands, free ports,
// waiting for an HTTP server, killing a whole process group.
/* global AbortSignal */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (scripts/lib/ is two levels below it). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function log(scope, message) {
  const time = new Date().toISOString().slice(11, 19);
  process.stdout.write(`[${time}] ${scope}: ${message}\n`);
}

/**
 * Runs a command to completion and rejects on a non-zero exit. Output is streamed (inherit) unless
 * `capture` is set, in which case it is collected and shown only when the command fails. `env` is
 * added to this process's environment, or used alone with `replaceEnv`.
 */
export function run(command, args, { cwd = repoRoot, env, replaceEnv = false, capture = false, scope = 'run' } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    log(scope, `$ ${[command, ...args].join(' ')}${cwd === repoRoot ? '' : `   (in ${cwd})`}`);
    const child = spawn(command, args, {
      cwd,
      env: replaceEnv ? env : { ...process.env, ...env },
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    });
    let output = '';
    if (capture) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) {
        log(scope, `  done in ${seconds} s`);
        resolve(output);
      } else {
        if (capture) process.stdout.write(output.slice(-6000));
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}) after ${seconds} s`));
      }
    });
  });
}

/** run() again after a pause when it fails: for steps that fetch from a registry or mirror. */
export async function runWithRetry(command, args, options = {}, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(command, args, options);
    } catch (err) {
      if (attempt >= attempts) throw err;
      log(options.scope ?? 'run', `attempt ${attempt} failed (${err instanceof Error ? err.message : String(err)}); retrying in ${attempt * 5} s`);
      await sleep(attempt * 5000);
    }
  }
}

/** A TCP port that was free a moment ago (preferred one first when given and free). */
export async function freePort(preferred) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: got } = server.address();
        server.close(() => resolve(got));
      });
    });
  if (preferred !== undefined) {
    const got = await tryPort(preferred);
    if (got !== undefined) return got;
  }
  const got = await tryPort(0);
  if (got === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return got;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `url` until it answers with any HTTP status (the server is up), or throws after `timeoutMs`. */
export async function waitForHttp(url, { timeoutMs = 60_000, isAlive = () => true, what = url } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`${what} exited before answering`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      return res.status;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000} s (${lastError})`);
}

/**
 * Stops a child started with `detached: true` (its own process group): SIGTERM to the group, then
 * SIGKILL after `graceMs` if it is still there. Resolves once the child has exited.
 */
export async function killGroup(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      try {
        child.kill(sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // Children of the group that outlived the leader (extension host, file watcher) get the same end.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // group already empty
  }
}
