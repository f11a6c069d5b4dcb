// Server text in tooltips: escaped so that a renderer shows it literally — no link, command, HTML, entity or markup.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { escapeMarkdownText, markdownCodeSpan } from '../../../src/providers/markdownText';
import { fuzzParameters, fuzzTimeoutMs } from '../helpers/fuzz';
import { HOSTILE_TEXTS, renderMarkdown, visibleForm } from '../helpers/renderedMarkdown';

/** Characters Markdown, HTML and VS Code give a meaning to, and some that they do not. */
const MARKDOWN_UNITS = fc.oneof(
  fc.constantFrom(...'[]()<>!*_#`~|&;:/.$-+={}"\'\\\n\t @%^?,'.split(''), 'command:', 'https://', 'www.', '&#91;', '&lt;', '$(', '\r\n', '    '),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
);
const markdownish = fc.string({ unit: MARKDOWN_UNITS, maxLength: 60 });

describe('tooltip text escaping', function () {
  this.timeout(fuzzTimeoutMs(10));

  for (const text of HOSTILE_TEXTS) {
    it(`shows ${JSON.stringify(text.slice(0, 40))} literally`, () => {
      const rendered = renderMarkdown(escapeMarkdownText(text));
      assert.deepEqual(rendered.unexpectedTags, [], rendered.html);
      assert.deepEqual(rendered.strayEntities, [], rendered.html);
      assert.equal(rendered.text, visibleForm(text), rendered.html);
    });
  }

  it('any text renders as exactly itself, with no tag but paragraphs and line breaks (property)', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const expected = visibleForm(text);
        const rendered = renderMarkdown(escapeMarkdownText(text));
        assert.deepEqual(rendered.unexpectedTags, [], rendered.html);
        assert.deepEqual(rendered.strayEntities, [], rendered.html);
        // A renderer drops blank lines at the ends; the visible text is otherwise the same.
        assert.equal(rendered.text.replace(/^\n+|\n+$/g, ''), expected.replace(/^\n+|\n+$/g, ''), rendered.html);
      }),
      fuzzParameters(),
    );
  });

  it('a code span holds any text, backticks included, as one code element (property)', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        // eslint-disable-next-line no-control-regex -- controls are dropped, line breaks and tabs become spaces
        const expected = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '').replace(/[\r\n\t]+/g, ' ');
        const span = markdownCodeSpan(text);
        if (expected === '') return assert.equal(span, '');
        const rendered = renderMarkdown(`x ${span}`);
        assert.deepEqual(rendered.unexpectedTags, [], rendered.html);
        assert.equal(rendered.html.match(/<code>/g)?.length, 1, rendered.html);
        assert.equal(rendered.text, `x ${expected}`, rendered.html);
      }),
      fuzzParameters(),
    );
  });

  it('src/ builds every MarkdownString through src/providers/tooltips.ts and has no other Markdown escaper', () => {
    const root = join(__dirname, '..', '..', '..', 'src');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (full.endsWith('.ts') && !full.endsWith(join('providers', 'tooltips.ts')) && !full.endsWith(join('providers', 'markdownText.ts'))) {
          const text = readFileSync(full, 'utf8');
          for (const pattern of [/new vscode\.MarkdownString\(/, /\.appendMarkdown\(/, /\.appendText\(/, /\[\\\\`\*_/]) {
            if (pattern.test(text)) offenders.push(`${full.slice(root.length + 1)}: ${pattern.source}`);
          }
        }
      }
    };
    walk(root);
    assert.deepEqual(offenders, []);
  });
});
