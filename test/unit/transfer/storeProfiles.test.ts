// The data plane (upload and download) against every store profile of the emulator: only what the URL is
// signed for goes on the wire, ETags go back exactly as each store spells them, expired URLs are renewed.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORE_PROFILES, storeProfile } from '../../../emulator/store/profiles';
import { tempDir, useTempDir, useTestEmulator } from '../helpers/emulator';
import { downloadEngine, settleAfter, startDownload, startUpload, uploadEngine } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';

interface WireEntry {
  path: string;
  headers: [string, string][];
}

interface State {
  objects: { subtask_id: string; file_name: string; size: number; md5: string; etag: string }[];
  subtasks: Record<string, { completes: { upload_id: string; parts: { index: number; etag: string }[]; ok: boolean }[] }>;
  datahub: { uploads: { upload_id: string; subtask_id: string; part_etags: Record<string, string> }[]; wire: { part_put: WireEntry[]; download: WireEntry[] } };
}

const names = (entry: WireEntry): string[] => entry.headers.map(([name]) => name.toLowerCase()).sort();

for (const profile of STORE_PROFILES) {
  describe(`data plane against the ${profile} store profile`, function () {
    this.timeout(120_000);
    const emu = useTestEmulator(['datahub'], { profile });
    const dir = useTempDir();
    // Parts as small as this store allows (S3: 5 MiB, OSS: 100 KB), so every upload also passes its part-size rule.
    const part = Math.max(storeProfile(profile).minPartSize, 64 * 1024);
    const upperCase = storeProfile(profile).upperCaseEtags;
    const state = () => emu.admin<State>('GET', '/_emulator/state');
    let n = 0;

    async function upload(size: number) {
      const subtask = `${profile}-${++n}`;
      await emu.admin('POST', '/_emulator/subtasks', { subtask_id: subtask });
      const file = writeRandomFile(dir.path, `${subtask}.bin`, size);
      const { engine } = uploadEngine(emu.url, { chunkSize: part });
      const record = await startUpload(engine, subtask, [{ path: file.path, name: `${subtask}.bin` }]);
      return { engine, record, subtask, file };
    }

    for (const [label, size] of [['0 bytes', 0], ['1 byte', 1], ['exactly one part', part], ['one part + 1', part + 1], ['many parts', 3 * part + 5]] as const) {
      it(`uploads ${label}: PUTs carry only Content-Length, complete sends the ETags as received`, async () => {
        const { engine, record, subtask, file } = await upload(size);
        const final = await engine.whenSettled(record);
        assert.equal(final.state, 'completed', final.error);
        const s = await state();
        const object = s.objects.find((o) => o.subtask_id === subtask);
        assert.equal(object?.md5, file.md5);
        const parts = Math.max(1, Math.ceil(size / part));
        const hex = upperCase ? /^"[0-9A-F]{32}/ : /^"[0-9a-f]{32}/;
        assert.match(object.etag, hex);
        assert.match(object.etag, parts > 1 ? new RegExp(`-${parts}"$`) : /^"[0-9a-fA-F]{32}"$/);

        const opened = s.datahub.uploads.find((u) => u.subtask_id === subtask);
        assert.ok(opened);
        const sent = s.subtasks[subtask].completes.filter((c) => c.ok).flatMap((c) => c.parts);
        assert.deepEqual(sent, Object.entries(opened.part_etags).map(([index, etag]) => ({ index: Number(index), etag })), 'the ETags exactly as the PUTs answered them');
        if (upperCase) assert.ok(sent.every((p) => /^"[0-9A-F]{32}"$/.test(p.etag)), 'OSS upper-case hex kept');

        const puts = s.datahub.wire.part_put.filter((w) => w.path.includes(opened.upload_id));
        assert.equal(puts.length, parts);
        for (const put of puts) assert.deepEqual(names(put), ['connection', 'content-length', 'host'], JSON.stringify(put.headers));
      });
    }

    it('downloads an object stored from parts: ranged GETs carry only Range and Accept-Encoding: identity; the multipart ETag is verified', async () => {
      const subtask = `${profile}-dl`;
      const size = 3 * part + 5;
      const source = writeRandomFile(dir.path, `${subtask}.src`, size);
      await emu.admin('POST', '/_emulator/subtasks', { subtask_id: subtask, input_file: { path: source.path, name: 'in.bin', part_size: part } });
      const folder = tempDir('datahub-dl-profile-');
      const engine = downloadEngine(emu.url, { chunkSize: part });
      const record = startDownload(engine, subtask, folder, 'in.bin');
      const final = await engine.whenSettled(record);
      assert.equal(final.state, 'completed', final.error);
      assert.deepEqual(readFileSync(join(folder, 'in.bin')), source.data);
      assert.match(String(final.checkpoint.etag), upperCase ? /^"[0-9A-F]{32}-4"$/ : /^"[0-9a-f]{32}-4"$/);
      assert.equal(final.checkpoint.integrity, 'composite-md5');
      assert.equal(final.checkpoint.etagPartSize, part);
      const gets = (await state()).datahub.wire.download.filter((w) => w.path.includes(`/${subtask}/`));
      assert.ok(gets.length >= 4);
      for (const get of gets) {
        assert.deepEqual(names(get), ['accept-encoding', 'connection', 'host', 'range'], JSON.stringify(get.headers));
        assert.equal(get.headers.find(([k]) => k.toLowerCase() === 'accept-encoding')?.[1], 'identity');
      }
    });

    it('an expired URL is refused in this store\'s words and renewed at most 3 times; a retry with fresh URLs completes', async () => {
      await emu.admin('POST', '/_emulator/faults', { route: 'part_put', url_ttl_s: 0 });
      const { engine, record, subtask, file } = await upload(1);
      const failed = await engine.whenSettled(record);
      assert.equal(failed.state, 'failed');
      assert.match(failed.error ?? '', profile === 'oss' ? /AccessDenied — Request has expired\. .*EC 0002-00000069.*still refused after 3 new URLs/ : /AccessDenied — Request has expired .*still refused after 3 new URLs/);
      assert.equal((await state()).datahub.uploads.filter((u) => u.subtask_id === subtask).length, 4);
      await emu.admin('DELETE', '/_emulator/faults');
      const final = await settleAfter(engine, record, 'retry');
      assert.equal(final.state, 'completed', final.error);
      assert.equal((await state()).objects.find((o) => o.subtask_id === subtask)?.md5, file.md5);
    });
  });
}
