// Shortens a long name for a tree row, keeping its start and its end (the extension, a version suffix), so that
// the description after it (the progress) stays in view.

/** Rows longer than this many characters are shortened. */
export const MAX_LABEL = 40;

/** `name` as it is when short enough; else its start, "…", and its last characters (the whole extension). */
export function shortLabel(name: string, max = MAX_LABEL): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  const tail = Math.min(Math.max(10, chars.length - chars.lastIndexOf('.')), Math.floor(max / 2));
  const head = max - 1 - tail;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}
