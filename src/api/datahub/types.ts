// Request and response shapes of the Datahub plugin API (api 000).
export interface UploadInitRequest {
  subtask_id: string;
  file_name: string;
  file_size: number;
  file_md5: string;
  chunk_size?: number;
}

export interface PartUploadUrl {
  index: number;
  url: string;
}

export interface UploadInitResponse {
  upload_id: string;
  part_upload_urls: PartUploadUrl[];
}

export interface CompletedPart {
  index: number;
  /** As the store returned it, quotes included. */
  etag: string;
}

export interface UploadCompleteRequest {
  upload_id: string;
  subtask_id: string;
  file_name: string;
  parts: CompletedPart[];
}

export interface DownloadPresignResponse {
  download_url: string;
  file_name: string;
}

/** 1 Running, 2 Paused, 4 Cancelled, 5 Failed. */
export type SubtaskStatus = 1 | 2 | 4 | 5;
export const SubtaskStatus = { Running: 1, Paused: 2, Cancelled: 4, Failed: 5 } as const;

export interface SubtaskResult {
  total_counts: number;
  success_counts: number;
}
