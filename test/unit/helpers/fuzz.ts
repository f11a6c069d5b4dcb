// fast-check settings shared by the property tests: a fixed seed in `npm test`, more runs (and any seed) on demand.
import type { Parameters } from 'fast-check';

/** DATAHUB_FUZZ_RUNS=20000 runs every property longer; DATAHUB_FUZZ_SEED=N replays or varies a run. */
export const FUZZ_RUNS = positive(process.env.DATAHUB_FUZZ_RUNS) ?? 200;
export const FUZZ_SEED = Number.isSafeInteger(Number(process.env.DATAHUB_FUZZ_SEED)) && process.env.DATAHUB_FUZZ_SEED ? Number(process.env.DATAHUB_FUZZ_SEED) : 20261201;

/** Parameters for fc.assert: the seed and number of runs above, a failure shrunk to its smallest case. */
export function fuzzParameters<T>(runs = FUZZ_RUNS): Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: runs, endOnFailure: false };
}

/** Runs for properties that touch the disk or the network: a tenth of the others, at least 20. */
export const FUZZ_IO_RUNS = Math.max(20, Math.round(FUZZ_RUNS / 10));

/** How long a suite of properties may take: 20 s plus what the extra runs need. */
export function fuzzTimeoutMs(perRunMs = 5): number {
  return 20_000 + FUZZ_RUNS * perRunMs;
}

function positive(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
