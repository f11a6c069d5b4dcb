// Text the extension does not control (server answers, file names) written as Markdown that shows it literally.

/** Every ASCII punctuation character: CommonMark lets a backslash make any of them literal. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;
/** C0/C1 controls other than newline and tab, and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex -- the point is to drop control characters
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * The Markdown for `text` shown exactly as written: no emphasis, heading, list, table, link, autolink, image, HTML,
 * entity or theme icon can come out of it. Escaping only `[]()` would still let `&#91;x&#93;` or `<command:x>`
 * through; escaping all punctuation leaves nothing for a renderer to interpret. Newlines become line breaks and
 * leading spaces stay spaces (never an indented code block).
 */
export function escapeMarkdownText(text: string): string {
  const lines = text
    .replace(CONTROLS, '')
    .replace(/\t/g, ' ')
    .replace(PUNCTUATION, '\\$&')
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/ +$/, '').replace(/^ +/, (spaces) => '&nbsp;'.repeat(spaces.length)));
  // A line break needs text after it: blank lines at the ends would show as a stray backslash.
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\\\n');
}

/** `text` as an inline code span: a fence longer than any backtick run inside it, so that the text cannot close it. */
export function markdownCodeSpan(text: string): string {
  const clean = text.replace(CONTROLS, '').replace(/[\r\n\t]+/g, ' ');
  if (clean === '') return '';
  const longestRun = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || (clean.startsWith(' ') && clean.endsWith(' ') && clean.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}
