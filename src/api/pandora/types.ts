// The shapes of Pandora offline datasources, jobs, exports and run history (api 003), shared by the client and the webviews.

export const VAL_TYPES = ['boolean', 'long', 'date', 'float', 'string'] as const;
export type ValType = (typeof VAL_TYPES)[number];

export interface SchemaField {
  key: string;
  valtype: ValType;
  required?: boolean;
}

export const DATASOURCE_TYPES = ['kodo', 'hdfs', 'fusion'] as const;
export type DatasourceType = (typeof DATASOURCE_TYPES)[number];

export const FILE_TYPES = ['json', 'csv', 'text', 'parquet'] as const;
export type FileType = (typeof FILE_TYPES)[number];

export const REGIONS = ['nb'] as const;

export interface KodoSourceSpec {
  bucket: string;
  keyPrefixes?: string[];
  fileType: FileType;
  delimiter?: string;
  containsHeader?: boolean;
}

export interface HdfsSourceSpec {
  paths: string[];
  fileType: FileType;
  delimiter?: string;
  containsHeader?: boolean;
}

export interface FusionSourceSpec {
  domains: string[];
}

export type DatasourceSpec = KodoSourceSpec | HdfsSourceSpec | FusionSourceSpec;

export interface DatasourceBody {
  region: string;
  type: DatasourceType;
  spec: DatasourceSpec;
  schema: SchemaField[];
}

export interface Datasource extends DatasourceBody {
  name: string;
}

/** PUT /v2/datasources/<name>: spec and schema only (fields may be added, never dropped or retyped). */
export interface DatasourceUpdate {
  spec: DatasourceSpec;
  schema: SchemaField[];
}

export const SOURCE_KINDS = ['DataSource', 'Job'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface JobSource {
  name: string;
  fileFilter?: string;
  type: SourceKind;
  tableName: string;
}

export const CONTAINER_TYPES = ['1U2G', '1U4G', '2U4G', '4U8G', '4U16G', '8U16G', '8U32G', '16U32G', '16U64G'] as const;
export type ContainerType = (typeof CONTAINER_TYPES)[number];
/** A job may use at most this many cores (container cores × count). */
export const MAX_CORES = 100;

export const SCHEDULER_TYPES = ['crontab', 'loop', 'manual', 'depend'] as const;
export type SchedulerType = (typeof SCHEDULER_TYPES)[number];

export interface JobScheduler {
  type: SchedulerType;
  spec?: { crontab?: string; loop?: string };
}

export interface JobParam {
  name: string;
  default: string;
}

export interface JobBody {
  srcs: JobSource[];
  computation: { code: string; type: string };
  container?: { type: ContainerType; count: number };
  scheduler: JobScheduler;
  params?: JobParam[];
}

export interface Job extends JobBody {
  name: string;
  /** The output schema, as the backend inferred it. */
  schema?: SchemaField[];
}

export interface RunParam {
  name: string;
  value: string;
}

/** The built-in magic variables every job has: $(year) $(mon) $(day) $(hour) $(min) $(sec). */
export const MAGIC_VARIABLES = ['year', 'mon', 'day', 'hour', 'min', 'sec'] as const;

export const EXPORT_TYPES = ['kodo', 'hdfs', 'http', 'logdb', 'tsdb', 'report'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

export const EXPORT_FORMATS = ['json', 'csv', 'text', 'orc', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Which compressions each export format accepts (注1 of the document). */
export const COMPRESSIONS: Record<ExportFormat, readonly string[]> = {
  json: ['none', 'bzip2', 'gzip', 'lz4', 'snappy', 'deflate'],
  csv: ['none', 'bzip2', 'gzip', 'lz4', 'snappy', 'deflate'],
  text: ['none', 'bzip2', 'gzip', 'lz4', 'snappy', 'deflate'],
  orc: ['none', 'snappy', 'zlib', 'lzo'],
  parquet: ['none', 'snappy', 'gzip', 'lzo'],
};

export const SAVE_MODES = ['overwrite', 'append', 'errorIfExists', 'ignore'] as const;
export type SaveMode = (typeof SAVE_MODES)[number];
/** The report export knows only these two. */
export const REPORT_SAVE_MODES = ['overwrite', 'append'] as const;
export const HTTP_FORMATS = ['text', 'json'] as const;

export interface KodoExportSpec {
  bucket: string;
  keyPrefix?: string;
  format?: ExportFormat;
  delimiter?: string;
  containsHeader?: boolean;
  compression?: string;
  retention?: number;
  partitionBy?: string[];
  fileCount: number;
  saveMode?: SaveMode;
}

export interface HdfsExportSpec {
  path: string;
  format?: ExportFormat;
  delimiter?: string;
  compression?: string;
  partitionBy?: string[];
  fileCount: number;
  saveMode?: SaveMode;
}

export interface HttpExportSpec {
  host: string;
  uri: string;
  format?: (typeof HTTP_FORMATS)[number];
}

export interface LogdbExportSpec {
  destRepoName: string;
  omitInvalid?: boolean;
  doc: Record<string, string>;
}

export interface TsdbExportSpec {
  destRepoName: string;
  omitInvalid?: boolean;
  /** In the request syntax, not in the table: optional. */
  series?: string;
  tags: Record<string, string>;
  fields: Record<string, string>;
  timestamp?: string;
}

export interface ReportExportSpec {
  database: string;
  table: string;
  autoCreation?: boolean;
  columns: Record<string, string>;
  saveMode?: (typeof REPORT_SAVE_MODES)[number];
}

export type ExportBody =
  | { type: 'kodo'; spec: KodoExportSpec }
  | { type: 'hdfs'; spec: HdfsExportSpec }
  | { type: 'http'; spec: HttpExportSpec }
  | { type: 'logdb'; spec: LogdbExportSpec }
  | { type: 'tsdb'; spec: TsdbExportSpec }
  | { type: 'report'; spec: ReportExportSpec };

export type ExportSpec = ExportBody['spec'];

export type JobExport = ExportBody & { name: string };

export const RUN_STATUSES = ['Ready', 'Successful', 'Failed', 'Running', 'Canceled', 'Restarting', 'Cancelling'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface HistoryRun {
  runId: number;
  batchTime: string;
  startTime?: string;
  endTime?: string;
  duration?: number;
  status: RunStatus;
  message?: string;
}

export const HISTORY_SORTS = ['-endTime', 'endTime'] as const;
export type HistorySort = (typeof HISTORY_SORTS)[number];

export interface HistoryQuery {
  page?: number;
  size?: number;
  /** The document's two keys: `endTime` ascending, `-endTime` descending (newest first). */
  sortBy?: HistorySort;
  status?: RunStatus;
  /** One run; -1 = the latest. */
  runId?: number;
}

export interface HistoryPage {
  total: number;
  history: HistoryRun[];
}

export interface BatchActionResult {
  preStatus: RunStatus;
  postStatus: RunStatus;
  rerunCount?: number;
}

export interface SchemaProbeRequest {
  type: string;
  spec: Partial<KodoSourceSpec> | Partial<HdfsSourceSpec> | Record<string, never>;
}

export interface SchemaInferSource {
  type: 'batch' | 'streaming';
  tableName: string;
  /** base64 of JSON `[{key, valtype}]` for batch sources. */
  schema: string;
}

export interface SchemaInferRequest {
  appId: string;
  computation: { type: 'sql'; code: string };
  sourceSchemas: SchemaInferSource[];
}
