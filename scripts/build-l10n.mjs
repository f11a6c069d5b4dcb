// Builds package.nls.json, package.nls.zh-cn.json and l10n/bundle.l10n.zh-cn.json from the
// per-area fragments in l10n/src/*.json: {"nls": {"key": ["English", "中文"]}, "bundle": {"English": "中文"}}.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function writeIfChanged(path, value) {
  const next = JSON.stringify(value, null, 2) + '\n';
  let prev = '';
  try { prev = readFileSync(path, 'utf8'); } catch { /* first build */ }
  if (prev !== next) writeFileSync(path, next);
}

export function buildL10n(root) {
  const dir = join(root, 'l10n', 'src');
  const nlsEn = {};
  const nlsZh = {};
  const bundleZh = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const fragment = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const [key, pair] of Object.entries(fragment.nls ?? {})) {
      if (nlsEn[key] !== undefined) throw new Error(`${file}: nls key ${key} is declared twice`);
      if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`${file}: nls key ${key} needs ["English", "中文"]`);
      nlsEn[key] = pair[0];
      nlsZh[key] = pair[1];
    }
    for (const [en, zh] of Object.entries(fragment.bundle ?? {})) {
      if (bundleZh[en] !== undefined && bundleZh[en] !== zh) throw new Error(`${file}: "${en}" is translated twice, differently`);
      bundleZh[en] = zh;
    }
  }
  writeIfChanged(join(root, 'package.nls.json'), nlsEn);
  writeIfChanged(join(root, 'package.nls.zh-cn.json'), nlsZh);
  writeIfChanged(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), bundleZh);
}
