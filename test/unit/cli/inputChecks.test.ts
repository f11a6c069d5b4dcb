// Bad CLI input is refused with exit 2 and a plain message, before anything reaches the server.
import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { useTempDir } from '../helpers/emulator';
import { startHostileServer, type HostileServer } from '../helpers/hostileServer';

describe('datahub CLI input checks', function () {
  this.timeout(5 * 60_000); // CLI processes (TypeScript compiled as they load): minutes on a loaded machine
  const dir = useTempDir();
  let server: HostileServer;

  // Any request is a failure of these tests: the server only counts them.
  before(async () => {
    server = await startHostileServer((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"code":500,"message":"should not have been called"}');
    });
  });
  after(async () => server.close());
  afterEach(() => assert.deepEqual(server.requests.map((r) => `${r.method} ${r.url}`), [], 'nothing may reach the server'));

  it('a missing file exits 2 with a plain message naming it', async () => {
    const missing = join(dir.path, 'no-such-file.bin');
    const result = await cli(['upload', missing, '--subtask', 's-1', '--endpoint', server.url]).done;
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.trim(), `datahub: ${missing}: no such file or folder`);
  });

  for (const [flag, value] of [['--concurrency', '0x10'], ['--concurrency', ' 4 '], ['--chunk-size', '1e3'], ['--retries', '+3'], ['--concurrency', '4.0'], ['--chunk-size', '']] as const) {
    it(`refuses ${flag} ${JSON.stringify(value)} (strict decimal integers only)`, async () => {
      const file = join(dir.path, 'ok.txt');
      writeFileSync(file, 'ok');
      const result = await cli(['upload', file, '--subtask', 's-1', '--endpoint', server.url, `${flag}=${value}`]).done;
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, new RegExp(`${flag}: expected a whole number`));
    });
  }

  it('a --state-dir that is a file is refused, for upload and download', async () => {
    const file = join(dir.path, 'ok2.txt');
    writeFileSync(file, 'ok');
    const stateFile = join(dir.path, 'state-is-a-file');
    writeFileSync(stateFile, 'not a folder');
    const upload = await cli(['upload', file, '--subtask', 's-1', '--endpoint', server.url, '--state-dir', stateFile]).done;
    assert.equal(upload.code, 2, upload.stderr);
    assert.match(upload.stderr, /--state-dir: .* is a file, not a folder/);
    const download = await cli(['download', '--subtask', 's-1', '--endpoint', server.url, '--state-dir', stateFile, '--out', dir.path]).done;
    assert.equal(download.code, 2, download.stderr);
    assert.match(download.stderr, /--state-dir: .* is a file, not a folder/);
  });

  it('an --out that is a file is refused', async () => {
    const outFile = join(dir.path, 'out-is-a-file');
    writeFileSync(outFile, 'not a folder');
    const result = await cli(['download', '--subtask', 's-1', '--endpoint', server.url, '--out', outFile, '--state-dir', join(dir.path, 'st')]).done;
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--out: .* is a file, not a folder/);
  });
});

describe('datahub upload of a folder with symbolic links', function () {
  this.timeout(5 * 60_000); // CLI processes (TypeScript compiled as they load): minutes on a loaded machine
  const dir = useTempDir();

  it('lists every skipped link to the user (text and --json), and uploads the rest', async () => {
    const folder = join(dir.path, 'photos');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'a.txt'), 'a');
    writeFileSync(join(dir.path, 'outside.txt'), 'secret outside the folder');
    symlinkSync(join(dir.path, 'outside.txt'), join(folder, 'link-to-file'));
    symlinkSync(dir.path, join(folder, 'sub', 'link-to-dir'));
    const server = await startHostileServer((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end('{"code":503,"message":"down"}');
    });
    try {
      const text = await cli(['upload', folder, '--subtask', 's-1', '--endpoint', server.url, '--retries', '0', '--state-dir', join(dir.path, 'st1')]).done;
      assert.match(text.stderr, /skipped 2 symbolic links \(not followed\):/);
      assert.ok(text.stderr.includes(join(folder, 'link-to-file')), text.stderr);
      assert.ok(text.stderr.includes(join(folder, 'sub', 'link-to-dir')), text.stderr);
      const json = await cli(['upload', folder, '--subtask', 's-1', '--endpoint', server.url, '--retries', '0', '--json', '--state-dir', join(dir.path, 'st2')]).done;
      const summary = JSON.parse(json.stdout) as { files: { name: string }[]; skipped_links: string[] };
      assert.deepEqual(summary.files.map((f) => f.name), ['photos/a.txt']);
      assert.deepEqual(summary.skipped_links, [join(folder, 'link-to-file'), join(folder, 'sub', 'link-to-dir')]);
    } finally {
      await server.close();
    }
  });
});
