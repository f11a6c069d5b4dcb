// One word per state across the views: the presentation modules take their state words from stateWords.ts, so that a
// thing that ended well reads "Completed" everywhere (never Succeeded / Successful / Finished / Done), in both languages.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const providers = join(root, 'src', 'providers');
const zh: Record<string, string> = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'));

/** The strings a file passes to vscode.l10n.t. */
const literals = (text: string): string[] => [...text.matchAll(/l10n\.t\(\s*'((?:\\.|[^'\\])*)'/g)].map((m) => m[1]);

const SYNONYMS = ['Succeeded', 'Successful', 'Finished', 'Done', 'Canceled'];
// transferPresentation.ts (the Transfers view's owner) keeps its own stateWord with the same words; its 'Finished' is a time row.
const PRESENTATION = ['connectorsPresentation.ts', 'loadTasksTree.ts', 'loadTasksDetails.ts', 'pandoraPresentation.ts', 'pandoraItems.ts', 'mediaPresentation.ts'];

describe('state vocabulary', () => {
  it('no presentation module spells a state with a word of its own', () => {
    const found: string[] = [];
    for (const file of readdirSync(providers).filter((f) => PRESENTATION.includes(f))) {
      for (const literal of literals(readFileSync(join(providers, file), 'utf8'))) {
        if (SYNONYMS.includes(literal) || /^(Succeeded|Successful|Finished|Done)\b/.test(literal)) found.push(`${file}: ${literal}`);
      }
    }
    assert.deepEqual(found, []);
  });

  it('the state words are distinct in English and in zh-CN', () => {
    const words = literals(readFileSync(join(providers, 'stateWords.ts'), 'utf8'));
    assert.ok(words.includes('Completed') && words.includes('Failed') && words.includes('Cancelled'));
    assert.equal(new Set(words).size, words.length);
    const chinese = words.map((w) => zh[w]);
    assert.ok(chinese.every(Boolean), 'every state word has a zh-CN translation');
    assert.equal(new Set(chinese).size, chinese.length, JSON.stringify(chinese));
  });
});
