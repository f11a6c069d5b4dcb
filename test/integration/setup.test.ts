// Integration (real VS Code): from a fresh install to a working setup — a missing endpoint named as such, one error row
// for an unreachable backend that goes away by itself, Connect… per backend, Sign Out, Set Credentials preselected
// from a view, the environment status bar, Use Local Emulator undone, and the bundled emulator started and stopped.
import * as assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { Backend } from '../../src/platform/settings';
import { emulatorUrl, ready, run, testing, waitFor, walk, type Entry } from './helpers';

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('datahub');
const setUser = (key: string, value: unknown): Thenable<void> => config().update(key, value, vscode.ConfigurationTarget.Global);
const BACKENDS: Backend[] = ['datahub', 'ingest', 'media', 'pandora', 'multipart'];

/** A loopback port nothing listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Forwards every request on `port` to the emulator: the backend "comes back" at the address the view was failing on. */
async function forwarder(port: number): Promise<Server> {
  const target = new URL(emulatorUrl);
  const server = createServer((req, res) => {
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

const problemRows = <N>(entries: Entry<N>[]): Entry<N>[] => entries.filter((e) => e.contextValue?.startsWith('datahub.problem:'));

describe('Setup: endpoints, credentials, environment', function () {
  this.timeout(120_000);

  const kept: [Backend, string, string | undefined][] = [];
  before(async () => {
    await ready();
    // The views these tests read need their credentials, whichever suites ran before.
    const { credentials } = await testing();
    for (const [backend, key, value] of [['ingest', 'userId', 'demo-user'], ['ingest', 'uid', '1'], ['pandora', 'accessKey', 'demo-ak'], ['pandora', 'secretKey', 'demo-sk']] as const) {
      kept.push([backend, key, await credentials.get(backend, key)]);
      await credentials.set(backend, key, value);
    }
  });

  after(async () => {
    const { credentials } = await testing();
    for (const [backend, key, value] of kept) await credentials.set(backend, key, value ?? '');
  });

  afterEach(async () => {
    // Every test leaves the endpoints as the harness set them.
    for (const b of BACKENDS) await setUser(`endpoints.${b}`, emulatorUrl);
    await setUser('ipfs.apiUrl', emulatorUrl);
    await setUser('views.retrySeconds', undefined);
  });

  it('a missing media endpoint is named as such in the view, with Open Settings for that backend (never NO_BASE_URL)', async () => {
    await setUser('endpoints.media', '');
    const { trees } = await testing();
    const sections = await walk(trees.media, 1);
    const privateBlocks = sections.find((s) => s.id === 'media:private');
    const rows = problemRows(privateBlocks?.children ?? []);
    assert.equal(rows.length, 1, JSON.stringify(privateBlocks));
    assert.equal(rows[0].label, 'Media endpoint not set');
    assert.equal(rows[0].contextValue, 'datahub.problem:noEndpoint');
    assert.deepEqual(rows[0].command && { id: rows[0].command.command, args: rows[0].command.arguments }, { id: 'datahub.openEndpointSettings', args: ['media'] });
    assert.ok(!JSON.stringify(sections).includes('NO_BASE_URL'));
  });

  it('a missing ingest endpoint leaves the views empty, so that their welcome (endpoint, not credentials) shows', async () => {
    await setUser('endpoints.ingest', '');
    const { trees } = await testing();
    assert.deepEqual(await walk(trees.connectors, 0), []);
    assert.deepEqual(await walk(trees.loadTasks, 0), []);
    const welcome = (vscode.extensions.getExtension('oortech.datahub-vscode')?.packageJSON as { contributes: { viewsWelcome: { view: string; when?: string; contents: string }[] } }).contributes.viewsWelcome;
    const forConnectors = welcome.filter((w) => w.view === 'datahub.connectors' && w.when === 'datahub.ingest.missing == endpoint');
    assert.equal(forConnectors.length, 1);
    assert.match(forConnectors[0].contents, /^Ingest endpoint not set/);
    assert.match(forConnectors[0].contents, /command:datahub\.openEndpointSettings\?%5B%22ingest%22%5D/);
    assert.match(forConnectors[0].contents, /command:datahub\.startLocalEmulator/);
    assert.ok(!welcome.some((w) => w.contents.includes('npm run')), 'a welcome text names a script that exists only in the repository');
  });

  it('an unreachable backend is one "Cannot reach host:port" row in each view, and the views come back by themselves', async () => {
    const port = await closedPort();
    await setUser('views.retrySeconds', 1);
    await setUser('endpoints.ingest', `http://127.0.0.1:${port}`);
    await setUser('endpoints.pandora', `http://127.0.0.1:${port}`);
    const { trees } = await testing();
    const connectors = await walk(trees.connectors, 0);
    const pandora = await walk(trees.pandora, 1);
    const rows = [...problemRows(connectors), ...problemRows(pandora.flatMap((g) => g.children ?? []))];
    assert.equal(rows.length, 3, JSON.stringify({ connectors, pandora }));
    for (const row of rows) {
      assert.equal(row.label, `Cannot reach 127.0.0.1:${port}`);
      assert.equal(row.contextValue, 'datahub.problem:unreachable');
      assert.equal(row.command?.command, 'datahub.retryView');
    }
    // The backend comes back at that address; nobody presses Refresh: the view's own timer reloads it (each load that
    // still fails sets the next try).
    const server = await forwarder(port);
    try {
      const nextReload = (): Promise<void> =>
        new Promise<void>((resolve) => {
          const subscription = trees.connectors.onDidChangeTreeData?.(() => {
            subscription?.dispose();
            resolve();
          });
        });
      const after = await waitFor('the Connectors view to load again by itself', async () => {
        await nextReload();
        const rows = await walk(trees.connectors, 0);
        return problemRows(rows).length === 0 ? rows : undefined;
      });
      assert.ok(after.every((e) => e.contextValue?.startsWith('connector:')), JSON.stringify(after));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('Set Credentials from a view preselects its backend: only that backend\'s questions are asked', async () => {
    const { credentials } = await testing();
    const before = await credentials.get('media', 'token');
    try {
      assert.equal(await run<boolean>([{ type: 'preselected-media-token' }], 'datahub.setCredentials', 'media'), true);
      assert.equal(await credentials.get('media', 'token'), 'preselected-media-token');
    } finally {
      await credentials.set('media', 'token', before ?? '');
    }
  });

  it('Sign Out removes one backend\'s credentials from secret storage and its view asks for them again', async () => {
    const { credentials, trees } = await testing();
    const before = await credentials.get('media', 'token');
    await credentials.set('media', 'token', 'to-be-signed-out');
    try {
      assert.equal(await run<boolean>([{ pick: /^Media tasks/ }], 'datahub.signOut'), true);
      assert.equal(await credentials.get('media', 'token'), undefined);
      const sections = await waitFor('the media view to ask for the token', async () => {
        const s = await walk(trees.media, 1);
        const rows = s.find((x) => x.id === 'media:private')?.children ?? [];
        return rows.some((r) => r.icon === 'key') ? rows : undefined;
      });
      const row = sections.find((r) => r.icon === 'key');
      assert.deepEqual(row?.command?.arguments, ['media']);
    } finally {
      await credentials.set('media', 'token', before ?? '');
    }
  });

  it('Connect… sets the endpoint, asks the credentials and proves both with one call; refused credentials say so', async () => {
    const { credentials } = await testing();
    const saved = { ak: await credentials.get('pandora', 'accessKey'), sk: await credentials.get('pandora', 'secretKey') };
    try {
      await setUser('endpoints.pandora', '');
      const ok = await run<boolean>([{ type: emulatorUrl }, { pick: 'AccessKey and SecretKey' }, { type: 'demo-ak' }, { type: 'demo-sk' }], 'datahub.connect', 'pandora');
      assert.equal(ok, true);
      assert.equal(config().inspect('endpoints.pandora')?.globalValue, emulatorUrl);
      const refused = await run<boolean>([{ accept: true }, { pick: 'AccessKey and SecretKey' }, { type: 'demo-ak' }, { type: 'not-the-secret' }], 'datahub.connect', 'pandora');
      assert.equal(refused, false);
    } finally {
      await credentials.set('pandora', 'accessKey', saved.ak ?? '');
      await credentials.set('pandora', 'secretKey', saved.sk ?? '');
    }
  });

  it('the status bar names the environment; Use Local Emulator switches to it and Use Configured Hosts undoes it', async () => {
    const t = await testing();
    await waitFor('the status bar to say emulator', () => t.environmentStatusBar().text.includes('Local Emulator'));
    await setUser('endpoints.datahub', 'https://datahub.example.invalid');
    await waitFor('the status bar to say configured hosts', () => t.environmentStatusBar().text.includes('Configured Hosts'));
    assert.match(t.environmentStatusBar().tooltip, /datahub: datahub\.example\.invalid/);
    assert.equal(await run<boolean>([{ type: emulatorUrl }], 'datahub.useLocalEmulator'), true);
    assert.equal(config().get('endpoints.datahub'), emulatorUrl);
    await waitFor('the status bar to say emulator', () => t.environmentStatusBar().text.includes('Local Emulator'));
    assert.equal(await run<boolean>([], 'datahub.useConfiguredHosts'), true);
    assert.equal(config().inspect('endpoints.datahub')?.globalValue, 'https://datahub.example.invalid');
    assert.equal(config().inspect('endpoints.ingest')?.globalValue, emulatorUrl);
    await waitFor('the status bar to say configured hosts', () => t.environmentStatusBar().text.includes('Configured Hosts'));
    // Nothing left to undo.
    assert.equal(await run<boolean>([], 'datahub.useConfiguredHosts'), false);
  });

  it('Start Local Emulator runs the bundled emulator on a free port with sample data; Stop puts the endpoints and credentials back', async () => {
    const t = await testing();
    const savedToken = await t.credentials.get('media', 'token');
    await t.credentials.set('media', 'token', '');
    try {
      const url = await run<string>([], 'datahub.startLocalEmulator');
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(url, emulatorUrl);
      assert.equal(t.localEmulatorUrl(), url);
      const health = (await (await fetch(`${url}/_emulator/health`)).json()) as { ok: boolean };
      assert.equal(health.ok, true);
      for (const b of BACKENDS) assert.equal(config().get(`endpoints.${b}`), url);
      // Sample data, and the demo token where none was stored.
      assert.equal(await t.credentials.get('media', 'token'), 'demo-media-token');
      const connectors = await waitFor('the sample connectors', async () => {
        const rows = await walk(t.trees.connectors, 0);
        return rows.some((r) => r.contextValue?.startsWith('connector:')) ? rows : undefined;
      });
      assert.ok(connectors.length > 0);
      await waitFor('the status bar to name the started emulator', () => t.environmentStatusBar().tooltip.includes('started in this window'));

      assert.equal(await run<boolean>([], 'datahub.stopLocalEmulator'), true);
      assert.equal(t.localEmulatorUrl(), undefined);
      for (const b of BACKENDS) assert.equal(config().get(`endpoints.${b}`), emulatorUrl);
      assert.equal(await t.credentials.get('media', 'token'), undefined);
      await waitFor('the stopped emulator to refuse connections', async () => fetch(`${url}/_emulator/health`).then(() => false, () => true));
    } finally {
      if (t.localEmulatorUrl()) await vscode.commands.executeCommand('datahub.stopLocalEmulator');
      await t.credentials.set('media', 'token', savedToken ?? '');
    }
  });

  it('when the emulator Start Local Emulator ran is gone (it stops with its window: a reload, a crash), the status bar says so and a notification offers Start Local Emulator / Use Configured Hosts', async () => {
    const t = await testing();
    const savedToken = await t.credentials.get('media', 'token');
    /** Ends the started emulator's process as a window reload does, leaving the endpoints where they point. */
    const endEmulator = (): void => {
      const pid = t.localEmulatorPid();
      assert.ok(pid, 'no emulator process');
      process.kill(pid, 'SIGKILL');
    };
    const offer = (url: string, after: number) =>
      waitFor(`the notification about ${url}`, () => t.notifications().slice(after).find((n) => n.message.includes(url) && /which is not running/.test(n.message)));
    try {
      const url = await run<string>([], 'datahub.startLocalEmulator');
      let before = t.notifications().length;
      endEmulator();
      await waitFor('the status bar to say the emulator is not running', () => t.environmentStatusBar().text.includes('Emulator Not Running'));
      assert.ok(t.environmentStatusBar().tooltip.includes(url), t.environmentStatusBar().tooltip);
      const notice = await offer(url, before);
      assert.deepEqual(notice.actions, ['Start Local Emulator', 'Use Configured Hosts']);
      // Nothing moved by itself: the endpoints still point at the stopped emulator until the person chooses.
      for (const b of BACKENDS) assert.equal(config().get(`endpoints.${b}`), url);

      // Start Local Emulator: a new one (a new port), the endpoints follow, the status bar is back to normal.
      assert.ok(t.pressNotification(notice.id, 'Start Local Emulator'));
      const again = await waitFor('a new emulator', () => t.localEmulatorUrl());
      await waitFor('the endpoints on the new emulator', () => BACKENDS.every((b) => config().get(`endpoints.${b}`) === again));
      await waitFor('the status bar to name the started emulator', () => t.environmentStatusBar().tooltip.includes('started in this window') && !t.environmentStatusBar().text.includes('Not Running'));

      // Gone again: Use Configured Hosts puts back the endpoints the first start replaced.
      before = t.notifications().length;
      endEmulator();
      const second = await offer(again, before);
      assert.ok(t.pressNotification(second.id, 'Use Configured Hosts'));
      await waitFor('the configured endpoints back', () => BACKENDS.every((b) => config().get(`endpoints.${b}`) === emulatorUrl));
      // (The harness's hosts are its own emulator, which answers.)
      await waitFor('the status bar to name the configured endpoints', () => !t.environmentStatusBar().text.includes('Not Running') && t.environmentStatusBar().tooltip.includes(emulatorUrl));
    } finally {
      if (t.localEmulatorUrl()) await vscode.commands.executeCommand('datahub.stopLocalEmulator');
      await t.credentials.set('media', 'token', savedToken ?? '');
    }
  });
});
