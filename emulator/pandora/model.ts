// The emulated Pandora account's records (api 003), typed from the document's request and response bodies.

/** `schema.valtype` of a datasource: 目前仅支持 boolean / long / date / float / string. */
export const FIELD_TYPES = ['boolean', 'long', 'date', 'float', 'string'] as const;

export interface Field {
  key: string;
  valtype: string;
  required?: boolean;
}

export interface DatasourceRecord {
  region: string;
  type: string;
  spec: Record<string, unknown>;
  schema: Field[];
}

export interface SourceRef {
  name: string;
  type: 'DataSource' | 'Job';
  tableName: string;
  fileFilter?: string;
}

/** A job as POST / PUT sent it (after the rules passed). */
export interface JobDefinition {
  srcs: SourceRef[];
  computation: { code: string; type: string };
  container?: { type: string; count: number };
  scheduler: { type: string; spec?: { crontab?: string; loop?: string } };
  params?: { name: string; default: string }[];
}

export interface ExportRecord {
  type: string;
  spec: Record<string, unknown>;
}

/** The seven run states of the history and batch tables. */
export const RUN_STATES = ['Ready', 'Successful', 'Failed', 'Running', 'Canceled', 'Restarting', 'Cancelling'] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface RunRecord {
  runId: number;
  batchTime: string;
  startTime: string;
  endTime?: string;
  status: RunState;
  message: string;
  params: { name: string; value: string }[];
  /** When a Running run settles (ms since epoch) and how. */
  finishAt: number;
  outcome: 'Successful' | 'Failed';
  rerunCount: number;
}

export interface JobRecord {
  body: JobDefinition;
  /** The output schema inferred from the SQL (GET job shows key and valtype). */
  schema: Field[];
  exports: Map<string, ExportRecord>;
  runs: RunRecord[];
  nextRunId: number;
}

/** The built-in magic variables (系统默认自带6个魔法变量). */
export const BUILT_IN_VARIABLES = ['year', 'mon', 'day', 'hour', 'min', 'sec'] as const;
