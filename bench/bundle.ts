// What the extension loads at activation: dist/extension.js and the chunks it requires statically (read from
// whatever dist/ holds when the bench runs; chunks loaded later with import() are listed apart).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface BundleInfo {
  entry: string;
  /** Bytes of JavaScript loaded at activation: the entry and its static requires/imports, transitively. */
  activation_js_bytes: number;
  activation_files: string[];
  /** Other .js files reachable only through dynamic import(). */
  lazy_js_bytes: number;
  lazy_files: string[];
  /** Whether dist/ holds the minified build the .vsix ships (`node esbuild.mjs --production`), not the dev build. */
  production: boolean;
}

const STATIC = [/require\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g, /\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g, /\bimport\s*["'](\.{1,2}\/[^"']+)["']/g];
const DYNAMIC = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

function targets(file: string, patterns: RegExp[]): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const path = resolve(dirname(file), m[1]);
      const withJs = existsSync(path) ? path : `${path}.js`;
      if (existsSync(withJs) && statSync(withJs).isFile()) out.push(withJs);
    }
  }
  return out;
}

export function bundleInfo(root: string): BundleInfo | undefined {
  const entry = join(root, 'dist', 'extension.js');
  if (!existsSync(entry)) return undefined;
  const loaded = new Set<string>();
  const lazy = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (loaded.has(file)) continue;
    loaded.add(file);
    queue.push(...targets(file, STATIC));
    for (const d of targets(file, [DYNAMIC])) lazy.add(d);
  }
  // A chunk that is also loaded statically is not lazy; what a lazy chunk requires is lazy too.
  const lazyQueue = [...lazy].filter((f) => !loaded.has(f));
  const lazyAll = new Set<string>();
  while (lazyQueue.length > 0) {
    const file = lazyQueue.shift() as string;
    if (loaded.has(file) || lazyAll.has(file)) continue;
    lazyAll.add(file);
    lazyQueue.push(...targets(file, [...STATIC, DYNAMIC]));
  }
  const size = (files: Iterable<string>): number => [...files].reduce((n, f) => n + statSync(f).size, 0);
  const rel = (files: Iterable<string>): string[] => [...files].map((f) => relative(root, f)).sort();
  return {
    entry: relative(root, entry),
    activation_js_bytes: size(loaded),
    activation_files: rel(loaded),
    lazy_js_bytes: size(lazyAll),
    lazy_files: rel(lazyAll),
    // The dev build ends with a source-map comment; the production build has none.
    production: !readFileSync(entry, 'utf8').includes('//# sourceMappingURL='),
  };
}
