// A MediaClient that tells a recorder about every upload and download task it creates and every answer the backend
// gives about one: api 002 has no list of these tasks, so the Media view keeps its own log of them.
import { MediaClient, type MediaClientOptions } from './client';
import type { BlockReport, DownloadTask, MediaTask } from './types';

export type MediaTaskKind = 'upload' | 'download';

export interface MediaTaskRecorder {
  /** A task this client created (`folder` and `seriesId` as far as the request knew them). */
  created(kind: MediaTaskKind, task: MediaTask, request: { seriesId?: number }): void;
  /** The backend's answer about a task (a status report's or a query's). */
  answered(kind: MediaTaskKind, task: MediaTask): void;
}

export class RecordingMediaClient extends MediaClient {
  constructor(
    options: MediaClientOptions,
    private readonly recorder: MediaTaskRecorder,
  ) {
    super(options);
  }

  override async createUploadTask(input: { seriesId: number; uuid: string; sourceName: string }, signal?: AbortSignal): Promise<MediaTask> {
    const task = await super.createUploadTask(input, signal);
    this.recorder.created('upload', task, { seriesId: input.seriesId });
    return task;
  }

  override async reportUpload(taskId: number, report: BlockReport, signal?: AbortSignal): Promise<MediaTask> {
    const task = await super.reportUpload(taskId, report, signal);
    this.recorder.answered('upload', task);
    return task;
  }

  override async createDownloadTask(sourceId: number, signal?: AbortSignal): Promise<DownloadTask> {
    const task = await super.createDownloadTask(sourceId, signal);
    this.recorder.created('download', task, {});
    return task;
  }

  override async reportDownload(taskId: number, report: { status: number; percent?: number }, signal?: AbortSignal): Promise<DownloadTask> {
    const task = await super.reportDownload(taskId, report, signal);
    this.recorder.answered('download', task);
    return task;
  }

  override async getDownloadTask(taskId: number, signal?: AbortSignal): Promise<DownloadTask> {
    const task = await super.getDownloadTask(taskId, signal);
    this.recorder.answered('download', task);
    return task;
  }
}
