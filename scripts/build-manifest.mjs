// Merges the per-area manifest fragments (manifest/*.json) into package.json "contributes"; a fragment's
// "$package" object sets top-level package.json fields (e.g. "capabilities"), which no two fragments may share.
// Why fragments: each area (transfers, connectors, pandora, media) owns its commands, menus and
// settings in its own file, so areas are edited independently and package.json stays generated.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function buildManifest(root) {
  const dir = join(root, 'manifest');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const contributes = {};
  const topLevel = {};
  const seenCommands = new Set();
  for (const file of files) {
    const fragment = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const [key, value] of Object.entries(fragment)) {
      if (key === '$package') {
        for (const [field, fieldValue] of Object.entries(value)) {
          if (field in topLevel) throw new Error(`${file}: package.json field ${field} is set twice`);
          topLevel[field] = fieldValue;
        }
      } else if (Array.isArray(value)) {
        if (key === 'commands') {
          for (const c of value) {
            if (seenCommands.has(c.command)) throw new Error(`${file}: command ${c.command} is declared twice`);
            seenCommands.add(c.command);
          }
        }
        contributes[key] = [...(contributes[key] ?? []), ...value];
      } else if (key === 'configuration') {
        const cfg = (contributes.configuration ??= { title: value.title ?? 'Datahub', properties: {} });
        for (const [name, prop] of Object.entries(value.properties ?? {})) {
          if (cfg.properties[name]) throw new Error(`${file}: setting ${name} is declared twice`);
          cfg.properties[name] = prop;
        }
      } else if (value && typeof value === 'object') {
        const target = (contributes[key] ??= {});
        for (const [sub, list] of Object.entries(value)) {
          target[sub] = Array.isArray(list) ? [...(target[sub] ?? []), ...list] : list;
        }
      }
    }
  }
  const pkgPath = join(root, 'package.json');
  const text = readFileSync(pkgPath, 'utf8');
  const pkg = JSON.parse(text);
  Object.assign(pkg, topLevel);
  pkg.contributes = contributes;
  const next = JSON.stringify(pkg, null, 2) + '\n';
  if (next !== text) writeFileSync(pkgPath, next);
  return pkg;
}
