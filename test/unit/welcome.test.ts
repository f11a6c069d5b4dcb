// The views' welcome texts: viewsWelcome renders links ([text](command:…)) and nothing else of Markdown, so a backtick
// or ** would show as such; every welcome (English and zh-CN) is plain text with links.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const read = (file: string): Record<string, string> => JSON.parse(readFileSync(join(root, file), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { viewsWelcome: { view: string; contents: string }[] } };

describe('view welcome texts', () => {
  const keys = pkg.contributes.viewsWelcome.map((w) => /^%(.+)%$/.exec(w.contents)?.[1]).filter((k): k is string => k !== undefined);

  it('are all localised (%key%)', () => {
    assert.equal(keys.length, pkg.contributes.viewsWelcome.length);
  });

  for (const file of ['package.nls.json', 'package.nls.zh-cn.json']) {
    it(`use no Markdown but links in ${file}`, () => {
      const strings = read(file);
      const bad = keys.filter((k) => /`|\*\*|(^|\n)#|(^|\n)\s*[-*] /.test(strings[k].replace(/\[[^\]]*\]\([^)]*\)/g, '')));
      assert.deepEqual(bad.map((k) => `${k}: ${strings[k]}`), []);
    });
  }
});
