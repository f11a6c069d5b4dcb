// How the media backend serialises its tasks (the field lists of api 002).
import type { DownloadTask, MediaStore, UploadTask } from './model';

export function uploadView(t: UploadTask): Record<string, unknown> {
  return {
    id: t.id,
    status: t.status,
    percent: t.percent,
    series_id: t.series_id,
    source_id: t.source_id,
    source_name: t.source_name,
    uuid: t.uuid,
    ip: t.ip,
    file: t.file,
    name: t.name,
    size: t.size,
    hash: t.hash,
    created_at: t.created_at,
  };
}

/** A private task is the source seen from its private block: same id and source, the private block's fields. */
export function privateView(t: UploadTask): Record<string, unknown> {
  return {
    ...uploadView(t),
    status: t.private.status,
    percent: t.private.percent,
    ip: t.private.ip,
    file: t.private.file || t.file,
    name: t.private.name || t.source_name,
    size: t.private.size,
    hash: t.private.hash,
  };
}

export function downloadView(store: MediaStore, d: DownloadTask): Record<string, unknown> {
  const source = store.uploadBySource(d.source_id);
  const visible = source !== undefined && store.isAuthorized(d) && source.private.status === 8 && source.private.hash !== '';
  return {
    id: d.id,
    status: d.status,
    percent: d.percent,
    series_id: source?.series_id ?? 0,
    source_id: d.source_id,
    source_name: source?.source_name ?? '',
    uuid: source?.uuid ?? '',
    ip: source?.ip ?? '',
    file: source?.file ?? '',
    name: source?.name ?? '',
    size: source?.size ?? 0,
    hash: source?.hash ?? '',
    created_at: d.created_at,
    private_status: visible ? 8 : 0,
    private_name: source?.private.name || source?.source_name || '',
    private_size: visible ? source.private.size : 0,
    private_hash: visible ? source.private.hash : '',
  };
}
