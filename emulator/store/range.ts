// Serving a stored file over HTTP the way S3/OSS do: one byte range (206/416), ETag, Accept-Ranges.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { RequestContext } from '../router';

export type RangeDecision =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

/**
 * Reads a `Range` header against a file of `size` bytes. Only one range is honoured; a header that is
 * not a single well-formed byte range is ignored (whole file, as RFC 9110 allows and S3 does).
 */
export function parseRange(header: string | undefined, size: number): RangeDecision {
  if (!header) return { kind: 'full' };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'full' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return { kind: 'partial', start, end };
}

export interface ServedFile {
  path: string;
  size: number;
  /** The ETag header as the store spells it (quoted). */
  etag: string;
  contentType?: string;
  /** Called for every chunk actually written to the socket (download counters). */
  onBytes?: (n: number) => void;
}

/** Answers a GET for `file`, honouring `Range`; the body is streamed from disk. */
export async function serveFile(c: RequestContext, file: ServedFile): Promise<void> {
  const decision = parseRange(c.req.headers.range, file.size);
  const common = {
    'Accept-Ranges': 'bytes',
    ETag: file.etag,
    'Content-Type': file.contentType ?? 'application/octet-stream',
  };
  if (decision.kind === 'unsatisfiable') {
    c.send(416, '', { ...common, 'Content-Range': `bytes */${file.size}` });
    return;
  }
  const start = decision.kind === 'partial' ? decision.start : 0;
  const end = decision.kind === 'partial' ? decision.end : file.size - 1;
  const length = file.size === 0 ? 0 : end - start + 1;
  const headers: Record<string, string | number> = { ...common, 'Content-Length': length };
  if (decision.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`;
  c.res.writeHead(decision.kind === 'partial' ? 206 : 200, headers);
  if (c.req.method === 'HEAD' || length === 0) {
    c.res.end();
    return;
  }
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      file.onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(file.path, { start, end }), counter, c.res);
  } catch {
    // The client went away mid-body (a cancelled or timed-out ranged GET); nothing to answer.
    c.res.destroy();
  }
}
