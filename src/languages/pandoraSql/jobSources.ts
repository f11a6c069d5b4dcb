// What a job's SQL can read: its srcs as tables with their fields (a datasource's schema, an upstream job's
// inferred output schema), its declared params and its own inferred output schema. Cached per job for a
// short while so that completion and hover on every keystroke do not call the backend each time.
import { encodeBatchSchema, type PandoraClient } from '../../api/pandora/client';
import type { Job, JobParam, SchemaField, SchemaInferRequest } from '../../api/pandora/types';
import type { NewJobDocuments } from './newJobs';

export interface SourceTable {
  tableName: string;
  /** The datasource or upstream job the table is read from. */
  source: string;
  type: 'DataSource' | 'Job';
  fields: SchemaField[];
}

export interface JobSources {
  job: Job;
  tables: SourceTable[];
  params: JobParam[];
}

const FRESH_MS = 15_000;

export class JobSourcesCache {
  private readonly entries = new Map<string, { at: number; value: Promise<JobSources> }>();

  constructor(
    private readonly client: PandoraClient,
    private readonly appId: () => Promise<string>,
    private readonly now: () => number = Date.now,
    /** The new jobs' documents (their editors' forms). */
    private readonly newJobs?: NewJobDocuments,
  ) {}

  /**
   * What the SQL of a document reads: a job's (`job`), or a new job's (`newJob`, the id of its document) from its
   * editor's form as it is now — not cached, since the form changes while the person writes.
   */
  of(key: { job: string } | { newJob: string }): Promise<JobSources> {
    if ('job' in key) return this.get(key.job);
    const form = this.newJobs?.form(key.newJob);
    if (!form) return Promise.reject(new Error(`the job editor of new job ${key.newJob} was closed`));
    const job: Job = { name: form.name, srcs: form.srcs, computation: { type: 'SQL', code: '' }, scheduler: { type: 'manual' }, params: form.params };
    return this.tablesOf(job);
  }

  get(jobName: string): Promise<JobSources> {
    const entry = this.entries.get(jobName);
    if (entry && this.now() - entry.at < FRESH_MS) return entry.value;
    const value = this.load(jobName);
    this.entries.set(jobName, { at: this.now(), value });
    // A failed load is not kept: the next question asks again.
    value.catch(() => {
      if (this.entries.get(jobName)?.value === value) this.entries.delete(jobName);
    });
    return value;
  }

  /** Forgets a job (after a save, or when the person asks to infer again). */
  invalidate(jobName?: string): void {
    if (jobName === undefined) this.entries.clear();
    else this.entries.delete(jobName);
  }

  private async load(jobName: string): Promise<JobSources> {
    return this.tablesOf(await this.client.getJob(jobName));
  }

  private async tablesOf(job: Job): Promise<JobSources> {
    let params = job.params ?? [];
    const tables = await Promise.all(
      job.srcs.map(async (src): Promise<SourceTable> => {
        if (src.type === 'DataSource') return { tableName: src.tableName, source: src.name, type: src.type, fields: (await this.client.getDatasource(src.name)).schema };
        const upstream = await this.client.getJob(src.name);
        // A depend job declares no params of its own: it runs with its upstream's (api 003, note 1).
        if (job.scheduler.type === 'depend') params = upstream.params ?? [];
        return { tableName: src.tableName, source: src.name, type: src.type, fields: upstream.schema ?? [] };
      }),
    );
    return { job, tables, params };
  }

  /** The /dag/schemaInfer request for `code` over the job's tables (batch sources, base64 schemas). */
  async inferRequest(sources: JobSources, code: string): Promise<SchemaInferRequest> {
    return {
      appId: await this.appId(),
      computation: { type: 'sql', code },
      sourceSchemas: sources.tables.map((t) => ({ type: 'batch' as const, tableName: t.tableName, schema: encodeBatchSchema(t.fields) })),
    };
  }
}
