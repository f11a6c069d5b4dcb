// What every Pandora route shares: the signature check before the handler, JSON bodies with the document's
// E18006 / E18007, and lookups that answer the table's 404 codes.
import type { EmulatorContext } from '../context';
import type { RequestContext, Router } from '../router';
import { whyRefused, type PandoraKeys } from './auth';
import { badToken, pandoraError } from './errors';
import type { JobLookup } from './jobRules';
import type { DatasourceRecord, JobRecord } from './model';
import { RunClock } from './runs';
import type { PandoraStore } from './store';

export interface PandoraConfig {
  keys: PandoraKeys;
  /** How long a run stays Running (ms). */
  runMs: number;
}

export type PandoraHandler = (c: RequestContext) => Promise<void> | void;

/** The emulated service as the route modules see it. */
export class PandoraService implements JobLookup {
  readonly clock: RunClock;

  constructor(
    private readonly router: Router,
    private readonly ctx: EmulatorContext,
    readonly store: PandoraStore,
    readonly config: PandoraConfig,
    private readonly log?: (line: string) => void,
  ) {
    this.clock = new RunClock(() => this.config.runMs);
  }

  /** A signed route; with `authOptional` a request without Authorization passes, a wrong one does not. */
  route(method: string, pattern: string, handler: PandoraHandler, authOptional = false): void {
    this.router.add(method, pattern, 'pandora', async (c) => {
      if (!authOptional || c.req.headers.authorization !== undefined) {
        const why = whyRefused(c.req, this.config.keys);
        if (why) {
          this.log?.(`pandora: 401 ${c.req.method} ${c.url.pathname}: ${why}`);
          this.ctx.count('pandora_bad_token');
          throw badToken();
        }
      }
      this.ctx.count('pandora_requests');
      await handler(c);
    });
  }

  admin(method: string, pattern: string, handler: PandoraHandler): void {
    this.router.add(method, pattern, 'admin', handler);
  }

  datasource(name: string): DatasourceRecord | undefined {
    return this.store.datasources.get(name);
  }

  job(name: string): JobRecord | undefined {
    const record = this.store.jobs.get(name);
    if (record) this.clock.settle(record);
    return record;
  }

  /** The job or 404 E18202 (计算任务不存在). */
  existingJob(name: string): JobRecord {
    const record = this.job(name);
    if (!record) throw pandoraError('E18202', `job ${name} does not exist`);
    return record;
  }

  /** 400 E18112 (仓库上存在着级联的转换任务或者导出任务) while a job reads the datasource or job `name`. */
  refuseWhileRead(kind: 'DataSource' | 'Job', name: string): void {
    const readers = this.store.readersOf(kind, name);
    if (readers.length) throw pandoraError('E18112', `${kind === 'Job' ? 'job' : 'datasource'} ${name} is read by job(s) ${readers.join(', ')}`);
  }

  save(): void {
    this.store.save();
  }
}

/** The request body as JSON: empty → E18006 (请求实体为空), not JSON → E18007 (请求实体格式非法). */
export async function jsonBody(c: RequestContext, optional = false): Promise<unknown> {
  const raw = await c.body();
  if (raw.length === 0) {
    if (optional) return undefined;
    throw pandoraError('E18006', 'the request body is empty');
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw pandoraError('E18007', 'the request body is not JSON');
  }
}
