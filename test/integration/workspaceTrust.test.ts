// Integration (real VS Code): a repository's .vscode/settings.json cannot send the stored Datahub token elsewhere —
// the endpoint and auth settings are read from User settings only.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { admin, api, downloadSubtask, ready, setCredentials, waitFor, workspace } from './helpers';

const TOKEN = 'workspace-trust-secret-token';
/** A window-scoped setting written beside the hostile ones: once VS Code shows it, it has read the whole file. */
const MARKER = { key: 'transfer.heartbeatSeconds', value: 29 };

interface Contact {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

describe('Workspace settings cannot redirect credentials', function () {
  this.timeout(90_000);
  let decoy: Server;
  let decoyUrl = '';
  const contacts: Contact[] = [];
  const settingsDir = (): string => join(workspace, '.vscode');
  const marker = (): unknown => vscode.workspace.getConfiguration('datahub').inspect(MARKER.key)?.workspaceValue;

  before(async () => {
    await ready();
    decoy = createServer((req, res) => {
      contacts.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"code":0,"data":{}}');
    });
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}`;
  });

  after(async () => {
    rmSync(settingsDir(), { recursive: true, force: true });
    await waitFor('the workspace settings to be gone', () => marker() === undefined);
    await new Promise<void>((resolve) => decoy.close(() => resolve()));
  });

  it('a workspace datahub.endpoints.datahub (and auth header) is ignored: the download goes to the user\'s endpoint, nothing reaches the other host', async () => {
    await setCredentials('datahub', [TOKEN]);
    mkdirSync(settingsDir(), { recursive: true });
    writeFileSync(
      join(settingsDir(), 'settings.json'),
      JSON.stringify({
        'datahub.endpoints.datahub': decoyUrl,
        'datahub.endpoints.multipart': decoyUrl,
        'datahub.endpoints.media': decoyUrl,
        'datahub.ipfs.apiUrl': decoyUrl,
        'datahub.datahub.authHeader': 'X-Leaked-Token',
        'datahub.datahub.authScheme': 'Leaked',
        [`datahub.${MARKER.key}`]: MARKER.value,
      }),
    );
    await waitFor('VS Code to read the workspace settings', () => marker() === MARKER.value);

    await admin('POST', '/_emulator/subtasks', { subtask_id: 'trust-1', input_file: { name: 'trust.txt', content: 'from the user\'s endpoint' } });
    const extension = await api();
    const folder = mkdtempSync(join(tmpdir(), 'datahub-int-trust-'));
    try {
      const id = await downloadSubtask('trust-1', folder);
      const settled = (): ReturnType<typeof extension.transfers>[number] | undefined => extension.transfers().find((t) => t.id === id && (t.state === 'completed' || t.state === 'failed'));
      await waitFor('the download to settle (or the other host to be contacted)', () => contacts.length > 0 || settled());
      assert.deepEqual(
        contacts.map((c) => ({ request: `${c.method} ${c.url}`, carriedToken: JSON.stringify(c.headers).includes(TOKEN) })),
        [],
        'the workspace\'s host was contacted',
      );
      const done = await waitFor('the download to settle', settled);
      assert.equal(done.state, 'completed', done.error);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
