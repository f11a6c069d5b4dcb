// Prototype (not used by the product): the whole-file MD5 pass also producing each part's MD5, so the
// PUT phase can compare ETags without hashing again. Reads the file once; hashes every byte twice.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function md5FileWithParts(path: string, partSize: number): Promise<{ md5: string; parts: string[] }> {
  const whole = createHash('md5');
  const parts: string[] = [];
  let part: Hash = createHash('md5');
  let inPart = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(partSize - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + n));
      offset += n;
      inPart += n;
      if (inPart === partSize) {
        parts.push(part.digest('hex'));
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0 || parts.length === 0) parts.push(part.digest('hex'));
  return { md5: whole.digest('hex'), parts };
}
