// The media task backend's records and status codes (api 002).
export enum MediaStatus {
  NotStarted = 0,
  Chunking = 1,
  Encrypting = 2,
  Uploading = 3,
  Downloading = 4,
  WaitingForAuthorization = 5,
  DownloadingKey = 6,
  Composing = 7,
  Done = 8,
  Error = 9,
}

export interface MediaTask {
  id: number;
  status: number;
  percent: number;
  series_id: number;
  source_id: number;
  source_name: string;
  uuid: string;
  /** The uploading node's IPFS peer id. */
  ip: string;
  /** Folder name (the series name, 剧名). */
  file: string;
  name: string;
  size: number;
  hash: string;
  created_at: string;
}

export interface DownloadTask extends MediaTask {
  private_status: number;
  private_name: string;
  private_size: number;
  private_hash: string;
}

export interface BlockReport {
  status: MediaStatus;
  percent?: number;
  name?: string;
  file?: string;
  hash?: string;
  size?: number;
  ip?: string;
}

export interface PrivateTaskList {
  tasks: MediaTask[];
  statusChoices: { code: number; name: string }[];
}
