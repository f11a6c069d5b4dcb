// Masks credentials in text (headers, query strings, JSON, presigned URLs) so that no log or message carries one.

/** Words that make a key secret when the key contains them as a whole word (`secretKey`, `Access-Token`, `X-Signature`). */
const SECRET_WORDS = new Set(['secret', 'token', 'password', 'passwd', 'passphrase', 'authorization', 'sk', 'signature', 'credential', 'apikey', 'cookie']);
/** Two-word keys whose words are harmless alone (`accessKey`, `api_key`, `private-key`). */
const SECRET_PAIRS = [['access', 'key'], ['api', 'key'], ['private', 'key']];
/** A key, then `:` or `=`, optionally inside quotes (also the escaped quotes of JSON inside a message). */
const KEY_VALUE = /([A-Za-z][A-Za-z0-9_.-]*)((?:\\?["'])?[ \t]*[:=][ \t]*)/g;
/** An auth scheme followed by its credential, wherever it appears. */
const SCHEME_TOKEN = /\b(Bearer|Pandora)([ \t]+)(?!\*\*\*)[^\s"'\\,;&}]+/gi;
const MASK = '***';

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));
}

function isSecretKey(key: string): boolean {
  const w = words(key);
  if (w.some((x) => SECRET_WORDS.has(x))) return true;
  return SECRET_PAIRS.some(([a, b]) => w.some((x, i) => x === a && w[i + 1] === b));
}

/** Where the value that starts at `start` ends, and what replaces it. */
function maskValue(text: string, start: number, wholeLine: boolean): { end: number; replacement: string } {
  const open = text.startsWith('\\"', start) ? '\\"' : text[start] === '"' || text[start] === "'" ? text[start] : undefined;
  if (open) {
    // A quoted value: up to the matching quote (a list of quoted values is masked element by element by the caller).
    let i = start + open.length;
    while (i < text.length && !text.startsWith(open, i)) i += text[i] === '\\' && open.length === 1 ? 2 : 1;
    return { end: Math.min(i, text.length), replacement: `${open}${MASK}` };
  }
  const stop = wholeLine ? /[\r\n"'\\,;&}]/ : /[\s"'\\,;&}\]]/;
  let i = start;
  while (i < text.length && !stop.test(text[i])) i++;
  const value = text.slice(start, i);
  if (value === '' || value === MASK) return { end: i, replacement: value };
  const scheme = /^([A-Za-z][A-Za-z0-9-]*)[ \t]+\S/.exec(value);
  return { end: i, replacement: scheme && wholeLine ? `${scheme[1]} ${MASK}` : MASK };
}

/** Masks values that look like credentials so that a log line or a message never carries one. */
export function redact(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(KEY_VALUE)) {
    const index = match.index ?? 0;
    if (index < last || !isSecretKey(match[1])) continue;
    const valueStart = index + match[0].length;
    const wholeLine = words(match[1]).includes('authorization');
    let { end, replacement } = maskValue(text, valueStart, wholeLine);
    if (text[valueStart] === '[') {
      // A list of secrets (`"tokens":["a","b"]`): everything up to the closing bracket.
      const close = text.indexOf(']', valueStart);
      end = close < 0 ? text.length : close;
      replacement = `[${MASK}`;
    }
    out += text.slice(last, valueStart) + replacement;
    last = end;
  }
  out += text.slice(last);
  return out.replace(SCHEME_TOKEN, (_m, scheme: string, space: string) => `${scheme}${space}${MASK}`);
}
