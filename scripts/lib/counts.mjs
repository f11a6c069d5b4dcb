// Reads test counts out of runner output: mocha's spec summary and our "N passed, N failed" line.

/** Counts from mocha's spec reporter summary ("N passing", "N failing", "N pending"). */
export function mochaCounts(output) {
  const count = (word) => {
    const match = new RegExp(`^\\s*(\\d+) ${word}\\b`, 'm').exec(output);
    return match ? Number(match[1]) : 0;
  };
  return { passed: count('passing'), failed: count('failing'), pending: count('pending') };
}

/** Counts from the last "N passed, N failed[, N skipped]" line, or undefined when there is none. */
export function summaryCounts(output) {
  const matches = [...output.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm)];
  const last = matches.at(-1);
  if (!last) return undefined;
  return { passed: Number(last[1]), failed: Number(last[2]), pending: Number(last[3] ?? 0) };
}
