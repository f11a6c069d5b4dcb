// The emulated Pandora account on disk: datasources and jobs (with exports and runs) in Maps keyed by name,
// so that any name the document allows (`constructor`, `__proto__`, `中文`) is data and nothing else.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasourceRecord, ExportRecord, JobRecord } from './model';

interface JobOnDisk extends Omit<JobRecord, 'exports'> {
  exports: [string, ExportRecord][];
}

interface StateOnDisk {
  datasources: [string, DatasourceRecord][];
  jobs: [string, JobOnDisk][];
}

export class PandoraStore {
  datasources = new Map<string, DatasourceRecord>();
  jobs = new Map<string, JobRecord>();
  private readonly file: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'state.json');
    this.load();
  }

  private load(): void {
    let saved: StateOnDisk;
    try {
      saved = JSON.parse(readFileSync(this.file, 'utf8')) as StateOnDisk;
    } catch {
      return; // First start: an empty account.
    }
    if (!Array.isArray(saved.datasources) || !Array.isArray(saved.jobs)) return;
    this.datasources = new Map(saved.datasources);
    this.jobs = new Map(saved.jobs.map(([name, job]) => [name, { ...job, exports: new Map(job.exports) }]));
  }

  save(): void {
    const onDisk: StateOnDisk = {
      datasources: [...this.datasources],
      jobs: [...this.jobs].map(([name, job]) => [name, { ...job, exports: [...job.exports] }]),
    };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(onDisk));
    renameSync(tmp, this.file);
  }

  reset(): void {
    this.datasources.clear();
    this.jobs.clear();
    this.save();
  }

  /** Names of the jobs that read `name` (a datasource or a job) as a source. */
  readersOf(kind: 'DataSource' | 'Job', name: string): string[] {
    return [...this.jobs].filter(([, job]) => job.body.srcs.some((s) => s.type === kind && s.name === name)).map(([jobName]) => jobName);
  }
}
