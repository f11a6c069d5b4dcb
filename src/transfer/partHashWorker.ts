// Hashes every part of a file in a worker thread, so that a first upload gets its part MD5s while
// the main thread computes the whole-file MD5 — one pass of wall time on two cores, none while sending.
import { Worker } from 'node:worker_threads';
import { TransferCancelledError } from './types';

// Plain JavaScript run with `eval: true`: the worker needs no file of its own in the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const { path, fd: given, partSize } = workerData;
const buffer = Buffer.allocUnsafe(Math.min(partSize, 4 * 1024 * 1024));
const fd = given === undefined ? openSync(path, 'r') : given;
const parts = [];
try {
  let position = 0;
  for (;;) {
    const hash = createHash('md5');
    let filled = 0;
    while (filled < partSize) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, partSize - filled), position);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      filled += n;
      position += n;
    }
    if (filled === 0 && parts.length > 0) break;
    parts.push(hash.digest('hex'));
    if (filled < partSize) break;
  }
} finally {
  if (given === undefined) closeSync(fd);
}
parentPort.postMessage(parts);
`;

/**
 * The MD5 hex of each part (index 0 = part 1); a 0-byte file has one empty part. The file is a path, or the descriptor
 * of a file the caller holds open (threads share descriptors; reads are positional, so the caller's reads are not disturbed).
 */
export function hashPartsInWorker(file: { path: string } | { fd: number }, partSize: number, signal?: AbortSignal): Promise<string[]> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new TransferCancelledError('hashing cancelled'));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...file, partSize } });
    const onAbort = (): void => {
      void worker.terminate();
      reject(new TransferCancelledError('hashing cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (parts: string[]) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(parts);
    });
    worker.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`part hashing stopped with exit code ${code}`));
    });
  });
}
