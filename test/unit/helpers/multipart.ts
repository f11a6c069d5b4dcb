// Adds an upload for a simulation job (protocol multipart-upload, api 004) to an engine, the way the command does.
import { basename } from 'node:path';
import type { ConfirmJob } from '../../../src/api/multipart/types';
import type { TransferEngine } from '../../../src/transfer/engine';
import { MULTIPART_UPLOAD_KIND } from '../../../src/transfer/protocols/multipartUploadRecord';

export function addSimulationUpload(engine: TransferEngine, path: string, size: number, job: ConfirmJob) {
  const params = { path, name: basename(path), size, mtimeMs: 0, fileType: 'master', contentType: 'application/octet-stream', job };
  return engine.start(MULTIPART_UPLOAD_KIND, params, { label: basename(path), localPath: path, bytesTotal: size });
}
