// Fuzz: file names. An uploaded folder's files keep their relative names; a server's download name never leaves the target folder.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { ApiError } from '../../../src/api/errors';
import { duplicateName, expandLocalPaths } from '../../../src/transfer/localFiles';
import { downloadTargetPath, keepBothName, safeLocalName } from '../../../src/transfer/protocols/datahubDownload';
import { useTempDir } from '../helpers/emulator';
import { FUZZ_IO_RUNS, fuzzParameters, fuzzTimeoutMs } from '../helpers/fuzz';

/** Names a file system takes: no `/`, no NUL, not `.` or `..`, at most 255 bytes; the awkward ones made likely. */
const fileName = fc
  .oneof(
    fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '.hidden', ' lead', 'trail ', 'a\\b', 'new\nline', '红楼梦.pdf', 'x'.repeat(255), '-rf', '~', '$HOME'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  )
  .map((n) => n.split('/').join('_').split(String.fromCharCode(0)).join('_'))
  .filter((n) => n !== '.' && n !== '..' && Buffer.byteLength(n) <= 255);
const SKIPPED = new Set(['.git', 'node_modules', '.datahub-private']);

/** A small tree: each entry a file, or a folder with its own entries. */
type Tree = { [name: string]: Tree | 'file' };
const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.dictionary(fileName, fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant<'file'>('file'), tie('tree')), { maxKeys: 5, noNullPrototype: true }),
})).tree;

function writeTree(dir: string, t: Tree, expected: string[], prefix: string): void {
  for (const [name, child] of Object.entries(t)) {
    const path = join(dir, name);
    if (child === 'file') {
      writeFileSync(path, name);
      expected.push(`${prefix}/${name}`);
    } else {
      mkdirSync(path);
      writeTree(path, child, SKIPPED.has(name) ? [] : expected, `${prefix}/${name}`);
    }
  }
}

describe('fuzz · file names', function () {
  this.timeout(fuzzTimeoutMs(40));
  const temp = useTempDir('datahub-fuzz-names-');

  it('a folder upload names every file "<folder>/<relative path>", once, and reads only inside the folder', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        const folder = join(temp.path, `case-${n++}`, 'picked');
        mkdirSync(folder, { recursive: true });
        const expected: string[] = [];
        writeTree(folder, t, expected, 'picked');
        const entries = await expandLocalPaths([folder]);
        assert.deepEqual(entries.map((e) => e.name).sort(), [...expected].sort());
        assert.equal(duplicateName(entries), undefined);
        for (const e of entries) {
          const rel = relative(folder, e.path);
          assert.ok(!rel.startsWith(`..${sep}`) && rel !== '..', `${e.path} is outside ${folder}`);
          assert.equal(e.name, `picked/${rel.split(sep).join('/')}`);
        }
      }),
      fuzzParameters(FUZZ_IO_RUNS),
    );
  });

  it('a download name from the server is a plain name inside the target folder, or refused as BAD_RESPONSE', async () => {
    const folder = join(temp.path, 'downloads');
    mkdirSync(folder, { recursive: true });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constantFrom('../../etc/passwd', '..\\..\\x', '/abs/path', 'C:\\win\\x', '.', '..', ' .. ', 'a/..', 'dir/', '\u0000', 'con', 'a:b', '__proto__')), async (remote) => {
        let name: string;
        try {
          name = safeLocalName(remote);
        } catch (e) {
          assert.ok(e instanceof ApiError && e.code === 'BAD_RESPONSE', String(e));
          return;
        }
        assert.ok(!/[\\/]/.test(name) && name !== '.' && name !== '..' && name.trim() === name && name !== '', JSON.stringify(name));
        // eslint-disable-next-line no-control-regex -- no control character may reach a file name
        assert.ok(!/[\u0000-\u001f]/.test(name), JSON.stringify(name));
        const target = downloadTargetPath({ folder, fileName: name });
        assert.equal(dirname(target), folder);
        assert.equal(basename(target), name);
        const other = await keepBothName(folder, name);
        assert.equal(dirname(join(folder, other)), folder, JSON.stringify(other));
      }),
      fuzzParameters(),
    );
  });
});
