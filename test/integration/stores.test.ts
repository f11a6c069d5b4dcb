// Integration (real VS Code): the extension against the emulator's Aliyun OSS store profile (not the default):
// upload in parts with upper-case ETags sent back as received, download verified by its multipart ETag, and
// "checked by size only" shown when the ETag cannot be verified.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATAHUB_DOWNLOAD_KIND } from '../../src/transfer/protocols/datahubDownload';
import { asTransferOf } from '../../src/transfer/types';
import { admin, api, downloadSubtask, md5, ready, transferItem, uploadFromExplorer, waitFor, workspace, writeFile } from './helpers';

const MIB = 1024 * 1024;

interface State {
  objects: { subtask_id: string; md5: string; etag: string }[];
  subtasks: Record<string, { completes: { ok: boolean; parts: { index: number; etag: string }[] }[] }>;
  datahub: { wire: { part_put: { path: string; headers: [string, string][] }[] } };
}

/** A subtask whose input is `size` random bytes stored as if uploaded in `partSize` parts (a "<hex>-N" ETag). */
async function multipartInput(id: string, name: string, size: number, partSize: number): Promise<Buffer> {
  const data = randomBytes(size);
  const source = join(mkdtempSync(join(tmpdir(), 'datahub-int-store-')), name);
  writeFileSync(source, data);
  await admin('POST', '/_emulator/subtasks', { subtask_id: id, input_file: { path: source, name, part_size: partSize } });
  return data;
}

describe('Stores: the extension against the OSS store profile in a real VS Code', function () {
  this.timeout(120_000);

  before(async () => {
    await ready();
    await admin('POST', '/_emulator/store', { profile: 'oss' });
  });
  after(async () => admin('POST', '/_emulator/store', { profile: 's3-sigv2' }));

  it('uploads in parts: PUTs carry only Content-Length, complete sends OSS\'s upper-case ETags as received', async () => {
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-oss-upload' });
    const file = writeFile('oss-upload.bin', 11 * MIB + 3);
    const extension = await api();
    const id = await uploadFromExplorer(file.uri, 'int-oss-upload');
    await waitFor('the upload to complete', () => extension.transfers().find((t) => t.id === id && t.state === 'completed'), 90_000);
    const state = await admin<State>('GET', '/_emulator/state');
    const object = state.objects.find((o) => o.subtask_id === 'int-oss-upload');
    assert.equal(object?.md5, file.md5);
    assert.match(object?.etag ?? '', /^"[0-9A-F]{32}-3"$/);
    const sent = state.subtasks['int-oss-upload'].completes.find((c) => c.ok)?.parts ?? [];
    assert.equal(sent.length, 3);
    assert.ok(sent.every((p) => /^"[0-9A-F]{32}"$/.test(p.etag)), JSON.stringify(sent));
    const puts = state.datahub.wire.part_put.filter((w) => w.path.includes('oss-upload.bin'));
    assert.equal(puts.length, 3);
    for (const put of puts) assert.deepEqual(put.headers.map(([k]) => k.toLowerCase()).sort(), ['connection', 'content-length', 'host']);
  });

  it('downloads an object stored from parts and verifies its multipart ETag', async () => {
    const data = await multipartInput('int-oss-download', 'oss-parts.bin', 3 * 5 * MIB + 7, 5 * MIB);
    const extension = await api();
    const id = await downloadSubtask('int-oss-download', workspace);
    const item = await transferItem(id, (i) => i.contextValue?.startsWith('transfer:completed') === true, 90_000);
    assert.match(item.description ?? '', /^Completed · 100% · [\d.]+ MB$/);
    assert.equal(md5(readFileSync(join(workspace, 'oss-parts.bin'))), md5(data));
    const done = extension.transfers().find((t) => t.id === id);
    assert.equal(done && asTransferOf(DATAHUB_DOWNLOAD_KIND, done).checkpoint.integrity, 'composite-md5');
  });

  it('says "checked by size only" on the Transfers item when no part size reproduces the ETag', async () => {
    const data = await multipartInput('int-oss-odd', 'oss-odd.bin', 3 * 300 * 1024 + 1, 300 * 1024);
    const id = await downloadSubtask('int-oss-odd', workspace);
    const item = await transferItem(id, (i) => i.contextValue?.startsWith('transfer:completed') === true, 90_000);
    assert.match(item.description ?? '', /checked by size only$/);
    assert.equal(md5(readFileSync(join(workspace, 'oss-odd.bin'))), md5(data));
  });
});
