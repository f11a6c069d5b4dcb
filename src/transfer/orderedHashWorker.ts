// The worker of OrderedHasher: told how far the written prefix of a file reaches, it reads that stretch back by
// position and hashes it (MD5, and the part MD5s of each candidate part size for multipart ETags).

// Plain JavaScript run with `eval: true` (as partHashWorker.ts): the worker needs no file of its own in the bundle.
// The composite ETag of a part size is the MD5 of the binary MD5s of its parts: computed here and nowhere else.
export const WRITTEN_FILE_HASHER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { readSync } = require('node:fs');
const { fd, size, partSizes } = workerData;
const whole = createHash('md5');
const candidates = partSizes.map((partSize) => ({ partSize, hash: createHash('md5'), filled: 0, digests: [] }));
const buffer = Buffer.allocUnsafe(1024 * 1024);
let hashedTo = 0;
let readBack = 0;
function feed(chunk) {
  whole.update(chunk);
  for (const c of candidates) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(c.partSize - c.filled, chunk.length - offset);
      c.hash.update(chunk.subarray(offset, offset + take));
      c.filled += take;
      offset += take;
      if (c.filled === c.partSize) { c.digests.push(c.hash.digest()); c.hash = createHash('md5'); c.filled = 0; }
    }
  }
}
parentPort.on('message', (upTo) => {
  const target = Math.min(upTo, size);
  while (hashedTo < target) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, target - hashedTo), hashedTo);
    if (n === 0) throw new Error('the file ends at byte ' + hashedTo + ' although ' + target + ' bytes were written');
    feed(buffer.subarray(0, n));
    hashedTo += n;
    readBack += n;
  }
  if (hashedTo < size) return parentPort.postMessage({ hashed: hashedTo });
  const composite = candidates.map((c) => {
    if (c.filled > 0 || c.digests.length === 0) c.digests.push(c.hash.digest());
    const all = createHash('md5');
    for (const d of c.digests) all.update(d);
    return [c.partSize, all.digest('hex')];
  });
  parentPort.postMessage({ md5: whole.digest('hex'), composite, readBack });
  parentPort.close();
});
`;
