// Reads one journal record back: its snapshot with the log lines written after it applied; a line cut short by a kill
// at the end is ignored, anything else that cannot be read is a problem named in words.
import { readFile } from 'node:fs/promises';
import { applyOp, parseOps } from './journalDiff';
import { readEnvelope } from './schemas';
import type { TransferRecord } from './types';

export interface RecordRead {
  record: TransferRecord;
  /** Number of the last log line applied (or the snapshot's). */
  seq: number;
  snapshotBytes: number;
  logBytes: number;
}

/** The snapshot with its log applied; undefined when there is no snapshot; a problem when it cannot be read. */
export async function readRecordFiles(id: string, snapshotFile: string, logFile: string): Promise<RecordRead | { problem: string } | undefined> {
  let text: string;
  try {
    text = await readFile(snapshotFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { problem: `cannot be read: ${(error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'it is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'it is not a JSON object' };
  const root: Record<string, unknown> = { ...value };
  const snapshotSeq = typeof root.journalSeq === 'number' ? root.journalSeq : 0;
  delete root.journalSeq;
  let seq = snapshotSeq;
  let logBytes = 0;
  try {
    const log = await readFile(logFile, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
    logBytes = Buffer.byteLength(log);
    const lines = log.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]) continue;
      let entry: { s?: unknown; o?: unknown };
      try {
        entry = JSON.parse(lines[i]) as { s?: unknown; o?: unknown };
      } catch {
        // The last line may have been cut short by a kill: what it said never counted.
        if (lines.slice(i + 1).every((l) => !l)) break;
        throw new Error(`line ${i + 1} of its log is not JSON`);
      }
      if (typeof entry.s !== 'number') throw new Error(`line ${i + 1} of its log has no sequence number`);
      if (entry.s <= snapshotSeq) continue;
      for (const op of parseOps(entry.o)) applyOp(root, op);
      seq = entry.s;
    }
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const read = readEnvelope(root);
  if ('problem' in read) return read;
  if (read.record.id !== id) return { problem: `it holds transfer ${read.record.id}, not ${id}` };
  return { record: read.record, seq, snapshotBytes: Buffer.byteLength(text), logBytes };
}
