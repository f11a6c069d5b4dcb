// Pure text reading of Pandora SQL (no vscode): what is being typed at an offset, the $(…) variables a text
// uses, and the position an inference error names. Offsets are UTF-16 indices into the document text.
import { MAGIC_VARIABLES } from '../../api/pandora/types';

export const SQL_KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'HAVING', 'LIMIT', 'AS', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL',
  'LIKE', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'DISTINCT', 'JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'INNER JOIN',
  'FULL OUTER JOIN', 'ON', 'UNION', 'UNION ALL', 'WITH', 'ASC', 'DESC', 'CAST', 'TRUE', 'FALSE',
] as const;

/** Spark SQL functions people use in Pandora jobs (the backend runs Spark SQL). */
export const SQL_FUNCTIONS = [
  'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'ROUND', 'ABS', 'FLOOR', 'CEIL', 'COALESCE', 'IF', 'CONCAT', 'CONCAT_WS', 'SUBSTR',
  'SUBSTRING', 'LENGTH', 'LOWER', 'UPPER', 'TRIM', 'SPLIT', 'REGEXP_EXTRACT', 'REGEXP_REPLACE', 'DATE_FORMAT', 'TO_DATE',
  'UNIX_TIMESTAMP', 'FROM_UNIXTIME', 'CURRENT_DATE', 'CURRENT_TIMESTAMP', 'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE',
  'SECOND', 'DATEDIFF', 'DATE_ADD', 'DATE_SUB', 'COLLECT_LIST', 'COLLECT_SET', 'ROW_NUMBER', 'RANK', 'GET_JSON_OBJECT',
] as const;

/** What the cursor is in the middle of typing. */
export type TypingContext =
  | { kind: 'variable'; prefix: string; start: number }
  | { kind: 'member'; qualifier: string; prefix: string; start: number }
  | { kind: 'word'; prefix: string; start: number }
  | { kind: 'none' };

/** True when `offset` is inside a string literal or a comment (nothing is completed there). */
export function inLiteralOrComment(text: string, offset: number): boolean {
  let i = 0;
  while (i < offset) {
    const ch = text[i];
    if (ch === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      if (end === -1 || end >= offset) return true;
      i = end + 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1 || end + 2 > offset) return true;
      i = end + 2;
    } else if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end === -1 || end >= offset) return true;
      i = end + 1;
    } else i++;
  }
  return false;
}

export function typingContext(text: string, offset: number): TypingContext {
  const before = text.slice(Math.max(0, offset - 300), offset);
  const variable = /\$\(([A-Za-z0-9_]*)$/.exec(before);
  if (variable) return { kind: 'variable', prefix: variable[1], start: offset - variable[1].length };
  if (inLiteralOrComment(text, offset)) return { kind: 'none' };
  const member = /([A-Za-z_][A-Za-z0-9_]*)`?\.`?([A-Za-z0-9_]*)$/.exec(before);
  if (member) return { kind: 'member', qualifier: member[1], prefix: member[2], start: offset - member[2].length };
  const word = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(before);
  return { kind: 'word', prefix: word?.[1] ?? '', start: offset - (word?.[1].length ?? 0) };
}

/** The identifier around `offset` (and the table it is qualified with, `t.col`), or undefined. */
export function identifierAt(text: string, offset: number): { name: string; qualifier?: string; start: number; end: number; variable: boolean } | undefined {
  const isWord = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);
  let start = offset;
  let end = offset;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  if (start === end || /^[0-9]/.test(text.slice(start, end))) return undefined;
  const name = text.slice(start, end);
  const variable = text.slice(Math.max(0, start - 2), start) === '$(' && text[end] === ')';
  const qualified = /([A-Za-z_][A-Za-z0-9_]*)`?\.`?$/.exec(text.slice(Math.max(0, start - 130), start));
  return { name, qualifier: qualified?.[1], start, end, variable };
}

/** Every `$(name)` in the text with its offset (of the `$`). */
export function variablesIn(text: string): { name: string; offset: number; length: number }[] {
  const out: { name: string; offset: number; length: number }[] = [];
  for (const m of text.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) out.push({ name: m[1], offset: m.index, length: m[0].length });
  return out;
}

/** `$(x)` the job does not know: neither built in nor one of its params. */
export function unknownVariables(text: string, params: readonly string[]): { name: string; offset: number; length: number }[] {
  const known = new Set<string>([...MAGIC_VARIABLES, ...params]);
  return variablesIn(text).filter((v) => !known.has(v.name));
}

/**
 * The position an error message names, as Spark SQL (which Pandora runs) writes it: `line 2 pos 7`,
 * `(line 2, pos 7)` — line 1-based, pos 0-based. Undefined when the message names none.
 */
export function errorPosition(message: string): { line: number; character: number } | undefined {
  const m = /\bline\s+(\d+)\s*,?\s*pos(?:ition)?\s+(\d+)/i.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]);
  return line >= 1 ? { line: line - 1, character: Number(m[2]) } : undefined;
}
