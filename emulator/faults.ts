// Fault injection for reliability tests: per route group error rates, latency, resets, hangs, URL lifetime.
export interface FaultSpec {
  route: string;
  error_rate?: number;
  status?: number;
  latency_ms?: number;
  reset_rate?: number;
  /** Probability that the request is accepted and never answered (a client-side timeout). */
  hang_rate?: number;
  url_ttl_s?: number;
}

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'error'; status: number; latencyMs: number }
  | { kind: 'reset'; latencyMs: number }
  | { kind: 'hang'; latencyMs: number };

export class FaultSet {
  private specs: FaultSpec[] = [];
  private random: () => number = Math.random;

  add(spec: FaultSpec): void {
    this.specs.push(spec);
  }

  clear(): void {
    this.specs = [];
  }

  list(): readonly FaultSpec[] {
    return this.specs;
  }

  /** Lets tests make the draws deterministic. */
  setRandom(random: () => number): void {
    this.random = random;
  }

  decide(group: string): FaultDecision {
    let latencyMs = 0;
    let decision: FaultDecision = { kind: 'none', latencyMs: 0 };
    for (const spec of this.specs) {
      if (spec.route !== '*' && spec.route !== group) continue;
      latencyMs += spec.latency_ms ?? 0;
      if (decision.kind !== 'none') continue;
      if (spec.reset_rate && this.random() < spec.reset_rate) decision = { kind: 'reset', latencyMs: 0 };
      else if (spec.hang_rate && this.random() < spec.hang_rate) decision = { kind: 'hang', latencyMs: 0 };
      else if (spec.error_rate && this.random() < spec.error_rate) decision = { kind: 'error', status: spec.status ?? 500, latencyMs: 0 };
    }
    return { ...decision, latencyMs };
  }

  /** The presigned URL lifetime for URLs issued by `group`, when a fault spec shortens it. */
  urlTtlSeconds(group: string): number | undefined {
    let ttl: number | undefined;
    for (const spec of this.specs) {
      if ((spec.route === '*' || spec.route === group) && spec.url_ttl_s !== undefined) ttl = spec.url_ttl_s;
    }
    return ttl;
  }
}

export function parseFaultSpec(value: unknown): FaultSpec {
  if (!value || typeof value !== 'object') throw new Error('fault spec must be a JSON object');
  const v = value as Record<string, unknown>;
  if (typeof v.route !== 'string' || !v.route) throw new Error('route: required, a route group name or "*"');
  const spec: FaultSpec = { route: v.route };
  for (const key of ['error_rate', 'reset_rate', 'hang_rate'] as const) {
    if (v[key] === undefined) continue;
    const n = Number(v[key]);
    if (!(n >= 0 && n <= 1)) throw new Error(`${key}: must be a number between 0 and 1`);
    spec[key] = n;
  }
  for (const key of ['status', 'latency_ms', 'url_ttl_s'] as const) {
    if (v[key] === undefined) continue;
    const n = Number(v[key]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${key}: must be a non-negative number`);
    spec[key] = n;
  }
  return spec;
}
