// The emulator's /dag/schemaInfer: output columns of simple SELECTs (columns, aliases, COUNT → long,
// SUM/AVG → float, anything else → string), enough for the forms and tests; not a SQL engine. An unknown table
// or column is refused as Spark SQL (which Pandora runs) words it, with `line L pos P` (1-based line, 0-based
// column); the document gives no error text of its own.
import type { Field } from './model';

export type InferResult = { schema: Field[] } | { error: string };

const KEYWORDS = new Set(['end', 'from', 'where', 'and', 'or', 'not', 'then', 'else', 'when', 'case', 'null', 'distinct', 'as', 'on', 'by']);
const LITERALS = new Set(['true', 'false', 'null']);

/** ` line L pos P` of the first match of `pattern` (its group 1) in the SQL as written, or nothing. */
function positionOf(sql: string, pattern: RegExp): string {
  const m = pattern.exec(sql);
  if (!m) return '';
  const at = m.index + m[0].indexOf(m[1]);
  const before = sql.slice(0, at);
  const line = before.split('\n').length;
  return `; line ${line} pos ${at - (before.lastIndexOf('\n') + 1)}`;
}

const escapeRe = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Comments removed, magic variables $(x) replaced by a literal, trailing semicolons dropped. */
export function normalizeSql(sql: string): string {
  return sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\$\([a-zA-Z_][a-zA-Z0-9_]*\)/g, "'0'")
    .trim()
    .replace(/;+\s*$/, '')
    .trim();
}

/** Splits on commas outside parentheses and quotes. */
export function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const ch of list) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function typeOf(expr: string, columns: Map<string, string>): string {
  const e = expr.trim();
  if (/^count\s*\(/i.test(e)) return 'long';
  if (/^(sum|avg)\s*\(/i.test(e)) return 'float';
  const col = /^(?:[a-zA-Z_][\w]*\.)?`?([a-zA-Z_][\w]*)`?$/.exec(e);
  if (col) return columns.get(col[1]) ?? 'string';
  return 'string';
}

/** Infers the output schema of `sql` over `tables` (table name → its schema). */
export function inferSchema(sql: string, tables: ReadonlyMap<string, readonly Field[]>): InferResult {
  const text = normalizeSql(sql);
  const m = /^select\s+(?:distinct\s+)?([\s\S]+?)(?:\s+from\s+`?([a-zA-Z_][\w]*)`?([\s\S]*))?$/i.exec(text);
  if (!m) return { error: 'only SELECT statements are supported' };
  const [, list, table] = m;
  if (table !== undefined && !tables.has(table)) return { error: `Table or view not found: ${table}${positionOf(sql, new RegExp(`\\bfrom\\s+\`?(${escapeRe(table)})\\b`, 'i'))}` };
  const columns = new Map<string, string>();
  for (const schema of table ? [tables.get(table) ?? []] : [...tables.values()]) for (const f of schema) if (!columns.has(f.key)) columns.set(f.key, f.valtype);
  const out: Field[] = [];
  for (const item of splitTopLevel(list)) {
    if (item === '*' || /^[a-zA-Z_]\w*\.\*$/.test(item)) {
      const source = item === '*' ? table : item.slice(0, -2);
      const expanded = source ? tables.get(source) : undefined;
      if (!expanded) return { error: `cannot expand ${item}` };
      for (const f of expanded) out.push({ key: f.key, valtype: f.valtype, required: false });
      continue;
    }
    const aliased = /^([\s\S]*?\S)\s+(?:as\s+)?`?([a-zA-Z_][\w]*)`?$/i.exec(item);
    let expr = item;
    let name: string;
    if (aliased && !KEYWORDS.has(aliased[2].toLowerCase()) && !/\s(as)$/i.test(aliased[1])) {
      expr = aliased[1];
      name = aliased[2];
    } else {
      const col = /^(?:[a-zA-Z_][\w]*\.)?`?([a-zA-Z_][\w]*)`?$/.exec(item);
      name = col ? col[1] : item.replace(/\s+/g, '').toLowerCase();
    }
    if (!expr.trim()) return { error: `empty select item in: ${item}` };
    const bare = /^(?:[a-zA-Z_][\w]*\.)?`?([a-zA-Z_][\w]*)`?$/.exec(expr.trim());
    if (bare && table !== undefined && !columns.has(bare[1]) && !LITERALS.has(bare[1].toLowerCase())) {
      const given = [...columns.keys()].map((k) => `${table}.${k}`).join(', ');
      return { error: `cannot resolve '\`${bare[1]}\`' given input columns: [${given}]${positionOf(sql, new RegExp(`(?<![\\w.$(])(${escapeRe(bare[1])})\\b`))}` };
    }
    out.push({ key: name, valtype: typeOf(expr, columns), required: false });
  }
  if (out.length === 0) return { error: 'the SELECT list is empty' };
  return { schema: out };
}
