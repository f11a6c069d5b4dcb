// The documentation's links: none leaves the repository, every relative path and #anchor resolves.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..', '..');

/** The documents a reader of the repository is sent through (README's Documentation list and what it names). */
function documents(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name));
  return ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', ...docs];
}

/** The text with fenced code blocks blanked (lines kept, so line numbers stay right). */
function withoutFences(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (open && open[1][0] === fence[0] && open[1].length >= fence.length) fence = undefined;
      return '';
    }
    if (open) {
      fence = open[1];
      return '';
    }
    return line;
  });
}

/** Inline code spans blanked: a URL or bracket inside backticks is not a link. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)(?:(?!\1)[^])*?\1/g, '');
}

export interface Link {
  line: number;
  target: string;
}

/** Inline links and images, reference definitions, autolinks and bare URLs (GitHub links those too). */
export function linksOf(text: string): Link[] {
  const found: Link[] = [];
  withoutFences(text).forEach((raw, index) => {
    const line = withoutCodeSpans(raw);
    const add = (target: string): void => {
      found.push({ line: index + 1, target });
    };
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) add(m[1]);
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (definition) add(definition[1]);
    for (const m of line.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]*)>/gi)) add(m[1]);
    if (definition) return;
    const bare = line.replace(/\]\([^)]*\)/g, '').replace(/<[^>]*>/g, '');
    for (const m of bare.matchAll(/\bhttps?:\/\/[^\s)>\]]+/gi)) add(m[0]);
  });
  return found;
}

/** GitHub's anchor for a heading: rendered text, lower-cased, punctuation dropped, each space a hyphen. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a markdown document has, numbered as GitHub numbers repeated headings (-1, -2, …). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(text)) {
    const m = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** What is wrong with one link of `file` (a path relative to `base`), or undefined when it resolves. */
export function problemOf(base: string, file: string, target: string): string | undefined {
  if (target === '') return 'empty link target';
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) {
    return `points outside the repository: ${target}`;
  }
  const hash = target.indexOf('#');
  const path = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  if (isAbsolute(path)) return `absolute path: ${target}`;
  const resolved = path === '' ? resolve(base, file) : resolve(base, dirname(file), path);
  const inside = relative(base, resolved);
  if (inside.startsWith('..') || isAbsolute(inside)) return `points outside the repository: ${target}`;
  if (!existsSync(resolved)) return `no such file: ${target}`;
  if (anchor === undefined) return undefined;
  if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) return `an anchor into a file that is not markdown: ${target}`;
  if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) return `no heading for #${anchor} in ${relative(base, resolved)}`;
  return undefined;
}

function problems(base: string, file: string): string[] {
  return linksOf(readFileSync(join(base, file), 'utf8')).flatMap(({ line, target }) => {
    const problem = problemOf(base, file, target);
    return problem === undefined ? [] : [`${file}:${line}: ${problem}`];
  });
}

describe('documentation links', () => {
  it('reads the documents it is meant to check', () => {
    const files = documents();
    for (const name of ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'docs/architecture.md']) {
      assert.ok(files.includes(join(name)), `${name} is checked`);
    }
    assert.ok(linksOf(readFileSync(join(root, 'README.md'), 'utf8')).length > 5, 'the README has links to check');
  });

  for (const file of documents()) {
    it(`${file}: no link leaves the repository, every path and anchor exists`, () => {
      assert.deepEqual(problems(root, file), []);
    });
  }
});

describe('documentation link checker', () => {
  it('makes anchors as GitHub does', () => {
    assert.equal(slug('Downloads (api 000)'), 'downloads-api-000');
    assert.equal(slug('How it works (protocol `datahub-download`)'), 'how-it-works-protocol-datahub-download');
    assert.equal(slug('Object stores (S3 and OSS)'), 'object-stores-s3-and-oss');
    assert.equal(slug('Upload for a simulation job: expired part URLs (our choice)'), 'upload-for-a-simulation-job-expired-part-urls-our-choice');
    assert.equal(slug('Validation (`src/api/pandora/validation.ts`, one module)'), 'validation-srcapipandoravalidationts-one-module');
    assert.equal(slug('Blocks & 中文'), 'blocks--中文');
    assert.deepEqual([...anchorsOf('# A\n## Tests\n```\n# not a heading\n```\n### Tests\n')], ['a', 'tests', 'tests-1']);
  });

  it('finds links, images, definitions and bare URLs, but not code', () => {
    const text = [
      'See [a](docs/a.md#x) and ![pic](img.png "title").',
      '[ref]: https://example.invalid/page',
      'Visit https://example.invalid or <https://example.invalid/auto>.',
      'Code `[no](http://x.invalid)` and `https://y.invalid` is not a link.',
      '```',
      '[no](http://z.invalid)',
      '```',
    ].join('\n');
    assert.deepEqual(
      linksOf(text).map((l) => `${l.line} ${l.target}`),
      ['1 docs/a.md#x', '1 img.png', '2 https://example.invalid/page', '3 https://example.invalid/auto', '3 https://example.invalid'],
    );
  });

  it('refuses URLs, paths that escape or do not exist, and anchors with no heading', () => {
    assert.match(problemOf(root, 'README.md', 'https://example.invalid') ?? '', /outside the repository/);
    assert.match(problemOf(root, 'README.md', 'http://example.invalid') ?? '', /outside the repository/);
    assert.match(problemOf(root, 'docs/protocols.md', '../../shared/DESIGN.md') ?? '', /outside the repository/);
    assert.match(problemOf(root, 'README.md', 'docs/nothing-here.md') ?? '', /no such file/);
    assert.match(problemOf(root, 'README.md', '#no-such-heading') ?? '', /no heading/);
    assert.match(problemOf(root, 'docs/testing.md', '../README.md#no-such-heading') ?? '', /no heading/);
    assert.equal(problemOf(root, 'README.md', '#transfers'), undefined);
    assert.equal(problemOf(root, 'docs/emulator.md', '../README.md#the-emulator'), undefined);
    assert.equal(problemOf(root, 'README.md', 'docs/images/transfers.png'), undefined);
  });
});
