// Starts the third-party servers of scripts/lib/thirdParty.mjs on loopback for a test: s3rver in this
// process, the js-ipfs daemon as a child in its own process group (offline, no preload, no bootstrap).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureThirdPartyKit, thirdPartyDir, thirdPartyReady } from './thirdParty.mjs';
import { freePort, killGroup } from './proc.mjs';

/** The access key s3rver's default account knows (its documented test credentials). */
export const S3RVER_KEY = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** `require` from the installed kit (installing it first when it is missing). */
export async function requireFromKit(kit, id) {
  const dir = thirdPartyReady(kit) ? thirdPartyDir(kit) : await ensureThirdPartyKit(kit);
  // aws-sdk v2 announces its maintenance mode on load; the tests know.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
  return createRequire(join(dir, 'package.json'))(id);
}

/** s3rver on 127.0.0.1 (a free port), storing into a fresh folder, with `buckets` created. */
export async function startS3rver({ buckets = [] } = {}) {
  const S3rver = await requireFromKit('s3', '@20minutes/s3rver');
  const directory = mkdtempSync(join(tmpdir(), 'datahub-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = await server.run();
  return {
    url: `http://127.0.0.1:${port}`,
    directory,
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * The js-ipfs daemon (`jsipfs daemon --offline`) with a fresh repository and its RPC API on a free loopback
 * port. Offline: no swarm, no bootstrap peers, no preload or delegate nodes, so nothing leaves the machine.
 */
export async function startJsIpfs({ timeoutMs = 90_000 } = {}) {
  const dir = thirdPartyReady('ipfs') ? thirdPartyDir('ipfs') : await ensureThirdPartyKit('ipfs');
  const home = mkdtempSync(join(tmpdir(), 'datahub-jsipfs-'));
  const port = await freePort();
  const config = {
    Addresses: { API: `/ip4/127.0.0.1/tcp/${port}`, Gateway: [], RPC: '', Swarm: [], Announce: [], NoAnnounce: [], Delegates: [] },
    Bootstrap: [],
    Discovery: { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } },
  };
  writeFileSync(join(home, 'init-config.json'), JSON.stringify(config));
  const child = spawn(process.execPath, [join(dir, 'node_modules', 'ipfs', 'src', 'cli.js'), 'daemon', '--offline', '--enable-preload=false', '--init-config', join(home, 'init-config.json')], {
    cwd: home,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, IPFS_PATH: join(home, 'repo'), NO_UPDATE_NOTIFIER: '1', DEBUG: '' },
  });
  let output = '';
  const stop = async () => {
    await killGroup(child);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`js-ipfs was not ready within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`)), timeoutMs);
      const onData = (d) => {
        output += d;
        if (output.includes('Daemon is ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`js-ipfs exited (${signal ?? code}) before it was ready:\n${output.slice(-3000)}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, output: () => output, stop };
}

export { thirdPartyDir };
