// Prototype (not used by the product): putFileRange of src/transfer/dataPlane.ts with two changes —
// `maxBodyLength: -1` on the request (axios then pipes the file straight into the socket instead of
// through its byte-counting Transform), and no MD5 of the bytes sent when the caller already knows the
// part's MD5 (from the whole-file MD5 pass).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ApiError } from '../../src/api/errors';
import { StallGuard, storeError, type PutRangeOptions, type PutRangeResult } from '../../src/transfer/dataPlane';

export async function putFileRangeLean(options: PutRangeOptions & { knownMd5?: string }): Promise<PutRangeResult> {
  const guard = new StallGuard(options.signal, options.stallMs);
  const length = options.end - options.start;
  const body = length > 0 ? createReadStream(options.path, { start: options.start, end: options.end - 1, highWaterMark: 1024 * 1024 }) : Buffer.alloc(0);
  let sent = 0;
  const hash = options.knownMd5 ? undefined : createHash('md5');
  if (length > 0) {
    (body as NodeJS.ReadableStream).on('data', (chunk: Buffer | string) => {
      guard.touch();
      hash?.update(chunk);
      sent += chunk.length;
      options.onBytes?.(chunk.length);
    });
  }
  try {
    const response = await options.http.request<string>({
      method: 'PUT',
      url: options.url,
      data: body,
      headers: { 'Content-Length': String(length), 'Content-Type': options.contentType ?? 'application/octet-stream' },
      signal: guard.controller.signal,
      responseType: 'text',
      transformResponse: (x: unknown) => x,
      maxBodyLength: -1,
    });
    if (response.status < 200 || response.status >= 300) {
      throw storeError(options.service, response.status, String(response.data ?? ''), 'PUT part');
    }
    const etag = response.headers.etag;
    if (typeof etag !== 'string' || !etag) throw new ApiError(options.service, response.status, 'NO_ETAG', 'the store answered the part PUT without an ETag header');
    return { etag, status: response.status, md5: options.knownMd5 ?? (hash as ReturnType<typeof createHash>).digest('hex') };
  } catch (error) {
    if (sent > 0) options.onBytes?.(-sent);
    throw guard.translate(error, options.service, 'PUT part');
  } finally {
    guard.dispose();
    if (length > 0) (body as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
}
