// Wire and model types of the ingest backend (api 001): connectors, their source files, load tasks and task files.

/** 4 = OSS, 5 = standard S3 (the document's numbers). */
export const SourceType = { OSS: 4, S3: 5 } as const;
export type SourceType = (typeof SourceType)[keyof typeof SourceType];

/** File types of /connectors/files/list and /task/files. */
export const FileType = {
  None: 0,
  Txt: 1,
  Pdf: 2,
  Image: 3,
  Ppt: 4,
  Word: 5,
  Markdown: 6,
  Csv: 7,
  Parquet: 8,
  Sql: 9,
  Directory: 10,
} as const;
export type FileType = (typeof FileType)[keyof typeof FileType];

/** load_interval_type: 1 daily, 2 hourly, 3 per minute, 4 once (0 unknown). */
export const IntervalType = { Unknown: 0, Daily: 1, Hourly: 2, Minutely: 3, Once: 4 } as const;
export type IntervalType = (typeof IntervalType)[keyof typeof IntervalType];

/** Task status: 1 running/runnable, 2 pausing, 3 paused, 4 finished (0 unknown). */
export const TaskStatus = { Unknown: 0, Running: 1, Pausing: 2, Paused: 3, Finished: 4 } as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

/** Task file status: 1 waiting, 2 uploading, 3 paused, 4 failed, 5 succeeded, 6 retrying (0 unknown). */
export const FileStatus = { Unknown: 0, Waiting: 1, Uploading: 2, Paused: 3, Failed: 4, Succeeded: 5, Retrying: 6 } as const;
export type FileStatus = (typeof FileStatus)[keyof typeof FileStatus];

/** `config.oss` as sent to the backend. */
export interface OssWireConfig {
  endpoint: string;
  access_key_id: string;
  access_key_secret: string;
  bucket_name: string;
}

/** `config.s3`: the OSS fields plus region and path style (true = path style, false = virtual host). */
export interface S3WireConfig extends OssWireConfig {
  region: string;
  path_style: boolean;
}

export interface ConnectorWireConfig {
  oss?: OssWireConfig;
  s3?: S3WireConfig;
}

/** What a user fills in to create, edit or validate a connector; camelCase keys name the form fields. */
export interface ConnectorInput {
  name: string;
  sourceType: SourceType;
  endpoint: string;
  accessKeyId: string;
  /** Empty or undefined on edit means "keep the stored secret". */
  accessKeySecret?: string;
  bucketName: string;
  /** S3 only. */
  region?: string;
  /** S3 only. */
  pathStyle?: boolean;
}

/** A connector as the extension sees it: the secret is never part of it, only whether one is set. */
export interface Connector {
  id: number;
  sourceType: number;
  name: string;
  status: string;
  createdAt: number;
  updatedAt: number;
  username: string;
  /** How many tasks the backend relates to it (the ids themselves arrive as unsafe JSON numbers). */
  relatedTaskCount: number;
  /** The load tasks that use this connector, 19-digit ids kept exact. */
  relatedTaskIds: string[];
  endpoint: string;
  accessKeyId: string;
  bucketName: string;
  region?: string;
  pathStyle?: boolean;
  secretSet: boolean;
}

export interface ConnectorList {
  connectors: Connector[];
  total: number;
}

export interface SourceFile {
  uri: string;
  filename: string;
  size: number;
  type: number;
}

export interface LoadModeConfig {
  load_interval_type: number;
  interval?: number;
}

export interface CommonFileTaskConfig {
  uris: string[];
  load_mode_config: LoadModeConfig;
}

/** A load task; `id` and `volume_id` are 19-digit ids kept as strings. */
export interface LoadTask {
  id: string;
  source_connector_id: number;
  source_connector_type: number;
  volume_id: string;
  volume_name: string;
  name: string;
  status: number;
  creator: string;
  source_config: { common_file_task_config: CommonFileTaskConfig };
  start_at: number;
  end_at: number;
  created_at: number;
  updated_at: number;
}

export interface TaskList {
  tasks: LoadTask[];
  total: number;
}

export interface TaskListQuery {
  page?: number;
  pageSize?: number;
  /** Task statuses to keep. */
  status?: readonly number[];
  loadIntervalTypes?: readonly number[];
  /** created_at (default), updated_at, start_at, end_at or id. */
  orderBy?: string;
  isDesc?: boolean;
}

/** A file of a load task; `id` is a 19-digit id kept as a string. */
export interface TaskFile {
  id: string;
  name: string;
  type: number;
  status: number;
  size: number;
  update_time: number;
  other_metadata: string;
  reason: string;
  user: string;
  start_time: number;
  end_time: number;
  path: string;
}

export interface TaskFilesPage {
  total: number;
  total_success: number;
  total_failed: number;
  files: TaskFile[];
}

export interface TaskFilesQuery {
  status?: readonly number[];
  page?: number;
  pageSize?: number;
}

export interface CreateTaskInput {
  connectorId: number;
  volumeId: string;
  uris: readonly string[];
  intervalType: number;
  /** How many units of `intervalType` between runs; 0 for a one-off load. */
  interval?: number;
}

export interface UpdateTaskInput {
  uris?: readonly string[];
  intervalType?: number;
  interval?: number;
}
