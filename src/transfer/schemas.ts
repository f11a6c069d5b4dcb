// Schemas the journal reads back with: the record envelope every protocol shares, and helpers for protocol schemas.
import * as v from 'valibot';
import { isJsonObject } from '../api/json';
import type { Schema, TransferRecord } from './types';

const count = v.pipe(v.number(), v.finite(), v.minValue(0));

const progressSchema = v.object({
  bytesDone: count,
  bytesTotal: count,
  bytesPerSecond: count,
  etaSeconds: v.optional(v.pipe(v.number(), v.finite())),
  phase: v.optional(v.string()),
  bytesConfirmed: v.optional(count),
  phaseDone: v.optional(count),
  phaseTotal: v.optional(count),
  /** Read back so that another window shows the files in flight of the transfer it does not run. */
  files: v.optional(dictOf(v.object({ phase: v.picklist(['hashing', 'uploading']), done: count }))),
});

/** Transfer ids are also file names in the journal folder. */
export const TRANSFER_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** What every journal record is, whatever its protocol; params and checkpoint are checked by the protocol's schemas. */
const envelopeSchema = v.object({
  id: v.pipe(v.string(), v.regex(TRANSFER_ID)),
  protocol: v.pipe(v.string(), v.minLength(1)),
  direction: v.picklist(['upload', 'download']),
  label: v.string(),
  localPath: v.optional(v.string()),
  state: v.picklist(['queued', 'running', 'paused', 'completed', 'failed', 'cancelled']),
  progress: progressSchema,
  error: v.optional(v.string()),
  errorKind: v.optional(v.literal('source-changed')),
  createdAt: v.pipe(v.number(), v.finite()),
  finishedAt: v.optional(v.pipe(v.number(), v.finite())),
  params: v.unknown(),
  checkpoint: v.custom<Record<string, unknown>>(isJsonObject, 'the checkpoint is not an object'),
});

/** The record in `value`, or why it is not one (naming the first field that is wrong). */
export function readEnvelope(value: unknown): { record: TransferRecord } | { problem: string } {
  const result = v.safeParse(envelopeSchema, value);
  if (result.success) {
    const { params, ...rest } = result.output;
    return { record: { ...rest, params } };
  }
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  return { problem: `${path ? `${path}: ` : ''}${issue.message}` };
}

/**
 * An object whose keys are data (file names, part numbers): every own key is checked, "__proto__" included (valibot's
 * record() skips such keys), and the values against `value`.
 */
export function dictOf<T>(value: Schema<T>): Schema<Record<string, T>> {
  return v.custom<Record<string, T>>((input) => isJsonObject(input) && Object.keys(input).every((key) => v.is(value, input[key])), 'expected an object of valid entries');
}

/** A whole number of bytes, parts or ids: finite, not negative. */
export const wholeNumber = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
