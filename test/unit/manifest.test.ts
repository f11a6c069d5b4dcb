// The manifest and strings: every command categorised and translated, every l10n.t string has a zh-CN entry.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nlsEn: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));
const nlsZh: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.nls.zh-cn.json'), 'utf8'));
const bundleZh: Record<string, string> = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'ui' ? [] : sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** Every .ts file under `dir`, page code included. */
function sourceFilesAll(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFilesAll(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** String literals passed to vscode.l10n.t or to a local alias of it (`const t = vscode.l10n.t`), JS escapes resolved. */
function l10nLiterals(text: string): string[] {
  const found: string[] = [];
  const aliases = [...text.matchAll(/const (\w+) = (?:vscode\.)?l10n\.t;/g)].map((m) => `\\b${m[1]}`);
  const re = new RegExp(`(?:${['l10n\\.t', ...aliases].join('|')})\\(\\s*(['"\`])((?:\\\\.|(?!\\1)[^\\\\])*)\\1`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] === '`' && m[2].includes('${')) continue;
    found.push(JSON.parse(`"${m[2].replace(/\\'/g, "'").replace(/(?<!\\)"/g, '\\"')}"`));
  }
  return found;
}

describe('manifest and localisation', () => {
  it('gives every command the Datahub category and a localised title', () => {
    for (const command of pkg.contributes.commands as { command: string; title: string; category?: string }[]) {
      assert.equal(command.category, 'Datahub', `${command.command} has no Datahub category`);
      const key = /^%(.+)%$/.exec(command.title)?.[1];
      assert.ok(key, `${command.command}: title "${command.title}" is not an nls key`);
      assert.ok(nlsEn[key], `${command.command}: ${key} missing in package.nls.json`);
      assert.ok(nlsZh[key], `${command.command}: ${key} missing in package.nls.zh-cn.json`);
    }
  });

  it('has an English and a Chinese string for every %key% in package.json', () => {
    const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 10);
    for (const key of keys) {
      assert.ok(nlsEn[key], `${key} missing in package.nls.json`);
      assert.ok(nlsZh[key], `${key} missing in package.nls.zh-cn.json`);
    }
    assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nlsEn).sort());
  });

  it('has a zh-CN translation for every vscode.l10n.t string in src/', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(join(root, 'src'))) {
      for (const literal of l10nLiterals(readFileSync(file, 'utf8'))) {
        if (!bundleZh[literal]) missing.push(`${file.slice(root.length + 1)}: ${literal}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('has a zh-CN translation for every string @vscode/l10n-dev extracts from src/ (what `npm run l10n` exports)', async function () {
    this.timeout(120_000); // parses every source file (tree-sitter): seconds, more on a loaded machine
    const files = sourceFilesAll(join(root, 'src')).map((file) => ({ extension: '.ts', contents: readFileSync(file, 'utf8') }));
    const extracted = Object.keys(await getL10nJson(files));
    assert.ok(extracted.length > 300, `only ${extracted.length} strings extracted`);
    assert.deepEqual(extracted.filter((text) => !bundleZh[text]), []);
  });

  it('declares each command once (package.json is edited by hand)', () => {
    const ids = (pkg.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  });

  it('keeps the placeholders of each translation', () => {
    for (const [en, zh] of Object.entries(bundleZh)) {
      const holes = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
      assert.deepEqual(holes(zh), holes(en), `"${en}" → "${zh}"`);
    }
  });

  it('activates only on its views, commands, URI, job SQL documents and restored editor panels, and hides tree-only commands from the palette', () => {
    // A restored datahub-pandora:/jobs/<job>.sql tab needs its file system before anything else is clicked, and so do
    // the read-only documents a window reload restores (a conflict's server copy, a run's details, a load task's
    // details: VS Code asks for their content with the onFileSystem event of their scheme); an editor panel open at a
    // window reload needs its serializer (registerWebviewPanelSerializer) to get its unsaved edits back.
    assert.deepEqual(pkg.activationEvents, [
      'onUri',
      'onFileSystem:datahub-pandora',
      'onFileSystem:datahub-pandora-server',
      'onFileSystem:datahub-pandora-run',
      'onFileSystem:datahub-ingest',
      'onWebviewPanel:datahub.pandora.jobEditor',
      'onWebviewPanel:datahub.pandora.exportEditor',
      'onWebviewPanel:datahub.connectorForm',
    ]);
    const ids = new Set((pkg.contributes.commands as { command: string }[]).map((c) => c.command));
    for (const entry of (pkg.contributes.menus?.commandPalette ?? []) as { command: string }[]) assert.ok(ids.has(entry.command), entry.command);
    for (const [menu, items] of Object.entries(pkg.contributes.menus ?? {}) as [string, { command: string }[]][]) {
      for (const item of items) assert.ok(ids.has(item.command) || item.command.endsWith('.focus'), `${menu}: ${item.command} is not declared`);
    }
  });

  it('declares the five Datahub views in one activity bar container', () => {
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, 'datahub');
    assert.deepEqual(pkg.contributes.views.datahub.map((v: { id: string }) => v.id), ['datahub.connectors', 'datahub.loadTasks', 'datahub.pandora', 'datahub.media', 'datahub.transfers']);
  });
});
