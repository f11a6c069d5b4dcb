// Fault injection for reliability tests: per route group error rates, latency, resets, hangs, holds, URL lifetime.
export interface FaultSpec {
  route: string;
  error_rate?: number;
  status?: number;
  latency_ms?: number;
  reset_rate?: number;
  /** Probability that the request is accepted and never answered (a client-side timeout). */
  hang_rate?: number;
  /**
   * The first `hold_after` requests of the route pass; later ones wait, unanswered and unread, until the faults are
   * cleared (DELETE /_emulator/faults), then get a 503 (the client retries). Lets a test stop a transfer at an exact
   * point without timing, and no byte of a held body is ever counted or stored.
   */
  hold_after?: number;
  url_ttl_s?: number;
}

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'error'; status: number; latencyMs: number }
  | { kind: 'reset'; latencyMs: number }
  | { kind: 'hang'; latencyMs: number }
  | { kind: 'hold'; latencyMs: number };

export class FaultSet {
  private specs: FaultSpec[] = [];
  private random: () => number = Math.random;
  /** Requests seen by each spec with hold_after. */
  private readonly seen = new Map<FaultSpec, number>();
  private held = 0;
  private release: () => void = () => undefined;
  private released: Promise<void> = this.nextRelease();

  add(spec: FaultSpec): void {
    this.specs.push(spec);
  }

  /** Removes every spec and lets the held requests go on. */
  clear(): void {
    this.specs = [];
    this.seen.clear();
    this.release();
    this.released = this.nextRelease();
  }

  /** How many requests wait for clear() now. */
  heldCount(): number {
    return this.held;
  }

  /** Holds a request until clear(). */
  async hold(): Promise<void> {
    this.held++;
    try {
      await this.released;
    } finally {
      this.held--;
    }
  }

  private nextRelease(): Promise<void> {
    return new Promise<void>((resolve) => (this.release = resolve)).then(() => undefined);
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
      if (spec.hold_after !== undefined) {
        const seen = this.seen.get(spec) ?? 0;
        this.seen.set(spec, seen + 1);
        if (seen >= spec.hold_after) {
          decision = { kind: 'hold', latencyMs: 0 };
          continue;
        }
      }
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
  if (v.hold_after !== undefined) {
    const n = Number(v.hold_after);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error('hold_after: must be a whole number of requests, 0 or more');
    spec.hold_after = n;
  }
  for (const key of ['status', 'latency_ms', 'url_ttl_s'] as const) {
    if (v[key] === undefined) continue;
    const n = Number(v[key]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${key}: must be a non-negative number`);
    spec[key] = n;
  }
  return spec;
}
