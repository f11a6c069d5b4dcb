// Browser hand-off links and the local file matching of the media commands.
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../../src/api/errors';
import { handoffTokenNotice, parseHandoff } from '../../../src/api/media/handoff';
import { listVideoFiles, matchPrivateBlocks } from '../../../src/commands/media/files';
import { tempDir } from '../helpers/emulator';

describe('media hand-off links', () => {
  it('reads upload and download links with their token', () => {
    assert.deepEqual(parseHandoff('/media/upload', 'folder=/data/仙剑&series_id=12&token=abc'), { kind: 'upload', folder: '/data/仙剑', seriesId: 12, token: 'abc' });
    assert.deepEqual(parseHandoff('/media/download/', 'source_id=1001'), { kind: 'download', sourceId: 1001, token: undefined });
  });

  it('refuses links with a missing or malformed parameter, or another path', () => {
    assert.throws(() => parseHandoff('/media/upload', 'series_id=1'), (e: unknown) => e instanceof ValidationError && e.field === 'folder');
    assert.throws(() => parseHandoff('/media/upload', 'folder=/x&series_id=abc'), (e: unknown) => e instanceof ValidationError && e.field === 'series_id');
    assert.throws(() => parseHandoff('/media/download', 'source_id=-3'), (e: unknown) => e instanceof ValidationError && e.field === 'source_id');
    assert.throws(() => parseHandoff('/other', ''), (e: unknown) => e instanceof ValidationError && e.field === 'path');
  });
});

describe('media hand-off token notice', () => {
  it('says which host a link token is for, and whether it replaces the stored one', () => {
    const withToken = parseHandoff('/media/download', 'source_id=3&token=from-the-page');
    assert.deepEqual(handoffTokenNotice(withToken, 'https://media.example.test:8443/base/', true), { host: 'media.example.test:8443', replacesStoredToken: true });
    assert.deepEqual(handoffTokenNotice(withToken, 'http://127.0.0.1:8000', false), { host: '127.0.0.1:8000', replacesStoredToken: false });
    // No media server configured (or an unreadable one): the dialog says so instead of naming a host.
    assert.deepEqual(handoffTokenNotice(withToken, '', true), { host: undefined, replacesStoredToken: true });
    assert.deepEqual(handoffTokenNotice(withToken, 'not a url', true), { host: undefined, replacesStoredToken: true });
    // A link without a token changes nothing stored.
    assert.equal(handoffTokenNotice(parseHandoff('/media/download', 'source_id=3'), 'http://127.0.0.1:8000', true), undefined);
  });
});

describe('media local files', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('datahub-media-files-');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the video files of a folder only', async () => {
    for (const name of ['b.MOV', 'a.mp4', 'notes.txt', 'c.mxf']) writeFileSync(join(dir, name), name);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'd.mp4'), 'x');
    assert.deepEqual((await listVideoFiles(dir)).map((f) => f.name), ['a.mp4', 'b.MOV', 'c.mxf']);
  });

  it('matches private block files to tasks by source name, beside or in .datahub-private', async () => {
    mkdirSync(join(dir, '.datahub-private'));
    writeFileSync(join(dir, 'ep1.mp4.private.json'), '{}');
    writeFileSync(join(dir, '.datahub-private', 'ep2.mp4.private.json'), '{}');
    writeFileSync(join(dir, 'stray.mp4.private.json'), '{}');
    const tasks = [
      { id: 1, source_name: 'ep1.mp4', name: 'ep1.mp4' },
      { id: 2, source_name: 'ep2.mp4', name: '' },
      { id: 3, source_name: 'ep3.mp4', name: '' },
    ];
    const { matches, unmatchedFiles } = await matchPrivateBlocks(dir, tasks);
    assert.deepEqual(matches.map((m) => [m.task.id, m.file.name]), [[1, 'ep1.mp4.private.json'], [2, 'ep2.mp4.private.json']]);
    assert.deepEqual(unmatchedFiles, ['stray.mp4.private.json']);
  });

  it('matches private blocks of masters named __proto__ and constructor', async () => {
    for (const name of ['__proto__', 'constructor', 'toString']) writeFileSync(join(dir, `${name}.private.json`), '{}');
    const tasks = [
      { id: 1, source_name: '__proto__', name: '' },
      { id: 2, source_name: 'constructor', name: '' },
      { id: 3, source_name: 'hasOwnProperty', name: '' },
    ];
    const { matches, unmatchedFiles } = await matchPrivateBlocks(dir, tasks);
    assert.deepEqual(matches.map((m) => [m.task.id, m.file.name]), [[1, '__proto__.private.json'], [2, 'constructor.private.json']]);
    assert.deepEqual(unmatchedFiles, ['toString.private.json']);
  });
});
