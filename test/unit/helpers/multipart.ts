// Adds an upload for a simulation job (protocol multipart-upload, api 004) to an engine, the way the command does.
import { basename } from 'node:path';
import type { ConfirmJob } from '../../../src/api/multipart/types';
import type { TransferEngine } from '../../../src/transfer/engine';
import { MULTIPART_UPLOAD } from '../../../src/transfer/protocols/multipartUpload';
import type { Json, TransferRecord } from '../../../src/transfer/types';

export function addSimulationUpload(engine: TransferEngine, path: string, size: number, job: ConfirmJob): TransferRecord {
  return engine.add({
    protocol: MULTIPART_UPLOAD,
    direction: 'upload',
    label: basename(path),
    localPath: path,
    params: { path, name: basename(path), size, mtimeMs: 0, fileType: 'master', contentType: 'application/octet-stream', job: job as unknown as Json },
    bytesTotal: size,
  });
}
