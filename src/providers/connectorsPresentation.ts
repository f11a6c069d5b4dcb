// How ingest objects look in the UI: source and file type names, icons, status labels, dates (shared by both trees).
import * as vscode from 'vscode';
import { FileStatus, FileType, IntervalType, SourceType, TaskStatus } from '../api/ingest/types';
import { stateWord } from './stateWords';

export function sourceTypeLabel(type: number): string {
  if (type === SourceType.OSS) return 'OSS';
  if (type === SourceType.S3) return 'S3';
  return vscode.l10n.t('type {0}', type);
}

export function fileTypeLabel(type: number): string {
  switch (type) {
    case FileType.Txt: return vscode.l10n.t('Text');
    case FileType.Pdf: return 'PDF';
    case FileType.Image: return vscode.l10n.t('Image');
    case FileType.Ppt: return 'PPT';
    case FileType.Word: return 'Word';
    case FileType.Markdown: return 'Markdown';
    case FileType.Csv: return 'CSV';
    case FileType.Parquet: return 'Parquet';
    case FileType.Sql: return 'SQL';
    case FileType.Directory: return vscode.l10n.t('Directory');
    default: return vscode.l10n.t('Other');
  }
}

/** The file types a user can filter the Connectors view by (the document's 1–10 and 0). */
export const FILTERABLE_FILE_TYPES: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0];

const FILE_TYPE_ICONS = new Map<number, string>([
  [FileType.Txt, 'file-text'],
  [FileType.Pdf, 'file-pdf'],
  [FileType.Image, 'file-media'],
  [FileType.Ppt, 'preview'],
  [FileType.Word, 'file-text'],
  [FileType.Markdown, 'markdown'],
  [FileType.Csv, 'table'],
  [FileType.Parquet, 'database'],
  [FileType.Sql, 'file-code'],
  [FileType.Directory, 'folder'],
]);

export function fileTypeIcon(type: number): vscode.ThemeIcon {
  return new vscode.ThemeIcon(FILE_TYPE_ICONS.get(type) ?? 'file');
}

export function taskStatusLabel(status: number): string {
  switch (status) {
    case TaskStatus.Running: return stateWord('running');
    case TaskStatus.Pausing: return stateWord('pausing');
    case TaskStatus.Paused: return stateWord('paused');
    case TaskStatus.Finished: return stateWord('completed');
    default: return stateWord('unknown');
  }
}

/** The state segment of a task's contextValue (`loadTask:running`), matched by the menus. */
const TASK_STATUS_KEYS = new Map<number, string>([
  [TaskStatus.Running, 'running'],
  [TaskStatus.Pausing, 'pausing'],
  [TaskStatus.Paused, 'paused'],
  [TaskStatus.Finished, 'finished'],
]);

export function taskStatusKey(status: number): string {
  return TASK_STATUS_KEYS.get(status) ?? 'unknown';
}

export function taskStatusIcon(status: number, failed: number): vscode.ThemeIcon {
  switch (status) {
    case TaskStatus.Running: return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
    case TaskStatus.Pausing: return new vscode.ThemeIcon('loading~spin');
    case TaskStatus.Paused: return new vscode.ThemeIcon('debug-pause');
    case TaskStatus.Finished:
      return failed > 0 ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow')) : new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green'));
    default: return new vscode.ThemeIcon('question');
  }
}

export function intervalLabel(type: number, interval: number | undefined): string {
  const n = interval ?? 0;
  switch (type) {
    case IntervalType.Daily: return n > 1 ? vscode.l10n.t('every {0} days', n) : vscode.l10n.t('daily');
    case IntervalType.Hourly: return n > 1 ? vscode.l10n.t('every {0} hours', n) : vscode.l10n.t('hourly');
    case IntervalType.Minutely: return n > 1 ? vscode.l10n.t('every {0} minutes', n) : vscode.l10n.t('every minute');
    case IntervalType.Once: return vscode.l10n.t('once');
    default: return vscode.l10n.t('unknown interval');
  }
}

export function fileStatusLabel(status: number): string {
  switch (status) {
    case FileStatus.Waiting: return stateWord('waiting');
    case FileStatus.Uploading: return stateWord('uploading');
    case FileStatus.Paused: return stateWord('paused');
    case FileStatus.Failed: return stateWord('failed');
    case FileStatus.Succeeded: return stateWord('completed');
    case FileStatus.Retrying: return stateWord('retrying');
    default: return stateWord('unknown');
  }
}

const FILE_STATUS_KEYS = new Map<number, string>([
  [FileStatus.Waiting, 'waiting'],
  [FileStatus.Uploading, 'uploading'],
  [FileStatus.Paused, 'paused'],
  [FileStatus.Failed, 'failed'],
  [FileStatus.Succeeded, 'succeeded'],
  [FileStatus.Retrying, 'retrying'],
]);

export function fileStatusKey(status: number): string {
  return FILE_STATUS_KEYS.get(status) ?? 'unknown';
}

export function fileStatusIcon(status: number): vscode.ThemeIcon {
  switch (status) {
    case FileStatus.Waiting: return new vscode.ThemeIcon('clock');
    case FileStatus.Uploading: return new vscode.ThemeIcon('cloud-upload', new vscode.ThemeColor('charts.blue'));
    case FileStatus.Paused: return new vscode.ThemeIcon('debug-pause');
    case FileStatus.Failed: return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    case FileStatus.Succeeded: return new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green'));
    case FileStatus.Retrying: return new vscode.ThemeIcon('refresh', new vscode.ThemeColor('charts.blue'));
    default: return new vscode.ThemeIcon('question');
  }
}

/** Unix seconds as a local date-time; 0 means "not yet". */
export function formatTime(unixSeconds: number): string {
  if (!unixSeconds) return '—';
  return new Date(unixSeconds * 1000).toLocaleString();
}

/** What stands for a secret everywhere it would appear. */
export const SECRET_MASK = '••••••••';
