// Datahub admin routes and sample data: POST /_emulator/subtasks creates a subtask (optionally with an input file).
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { inputPathRefusal } from '../adminGuard';
import type { EmulatorContext } from '../context';
import { HttpError, type RequestContext, type Router } from '../router';
import { own } from '../store/dict';
import { type StoredFile, copyIntoStore, generateFile, partMd5sOf, writeBufferToStore } from '../store/files';
import { type FailFn, Fields, fileNameProblem } from '../store/fields';
import type { DatahubStore, InputFile, SubtaskRecord } from './model';

const adminError: FailFn = (_field, message) => new HttpError(400, { error: message });

/** The largest generated input file (keeps a typo from filling the disk). */
const MAX_GENERATED_SIZE = 64 * 1024 * 1024 * 1024;

/**
 * `input_file` in POST /_emulator/subtasks is one of:
 * - `"/path/on/disk"` or `{path, name?}`: that file is copied in (name defaults to its base name);
 * - `{name, size, seed?}`: `size` bytes of deterministic pseudo-random content (AES-256-CTR keystream,
 *   key SHA-256("datahub-emulator:" + seed), zero IV; seed defaults to the subtask id);
 * - `{name, content}`: the UTF-8 text `content`.
 * Any of the object forms may add `part_size`: the object is then stored as if uploaded in parts of that
 * size, so its ETag is the multipart form `"<hex>-N"` instead of its MD5.
 */
export type InputSpec = ({ kind: 'copy'; path: string; name: string } | { kind: 'generate'; name: string; size: number; seed: string } | { kind: 'text'; name: string; content: string }) & { partSize?: number };

function checkName(name: string, field: string): string {
  const problem = fileNameProblem(name);
  if (problem) throw adminError(field, `${field}: ${problem}`, 'value');
  return name;
}

/** A local file the admin API is asked to copy in: it must exist and lie inside the emulator's input folders. */
function checkInputPath(path: string, inputDirs: readonly string[], field: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) throw adminError(field, `${field}: no such file "${path}"`, 'value');
  const refusal = inputPathRefusal(path, inputDirs, field);
  if (refusal) throw new HttpError(403, { error: refusal });
}

function parseInputSpec(value: unknown, subtaskId: string, inputDirs: readonly string[]): InputSpec {
  if (typeof value === 'string') {
    checkInputPath(value, inputDirs, 'input_file');
    return { kind: 'copy', path: value, name: checkName(basename(value), 'input_file') };
  }
  const f = Fields.of(value, adminError, 'input_file', 'input_file.');
  const partSize = f.optionalInt('part_size', { min: 1 });
  if (f.has('path')) {
    const path = f.string('path');
    checkInputPath(path, inputDirs, 'input_file.path');
    const name = f.has('name') ? f.string('name') : basename(path);
    return { kind: 'copy', path, name: checkName(name, 'input_file.name'), partSize };
  }
  const name = checkName(f.string('name'), 'input_file.name');
  if (f.has('content')) return { kind: 'text', name, content: f.string('content', { allowEmpty: true }), partSize };
  const size = f.int('size', { min: 0, max: MAX_GENERATED_SIZE });
  const seed = f.has('seed') ? String(f.raw('seed')) : subtaskId;
  return { kind: 'generate', name, size, seed, partSize };
}

async function storeInput(store: DatahubStore, subtaskId: string, spec: InputSpec): Promise<InputFile> {
  const dest = store.inputPath(subtaskId, spec.name);
  let stored: StoredFile;
  if (spec.kind === 'copy') stored = await copyIntoStore(spec.path, dest);
  else if (spec.kind === 'generate') stored = await generateFile(dest, spec.size, spec.seed);
  else stored = await writeBufferToStore(dest, Buffer.from(spec.content, 'utf8'));
  if (spec.partSize === undefined) return { name: spec.name, ...stored };
  return { name: spec.name, ...stored, part_size: spec.partSize, part_md5s: await partMd5sOf(dest, spec.partSize, stored.size) };
}

/** Creates the subtask, or updates its input file when it exists already. */
export async function upsertSubtask(store: DatahubStore, subtaskId: string, inputSpec?: InputSpec): Promise<SubtaskRecord> {
  const subtask = own(store.data.subtasks, subtaskId) ?? store.newSubtask(subtaskId);
  if (inputSpec) {
    const previous = subtask.input_file;
    subtask.input_file = await storeInput(store, subtaskId, inputSpec);
    if (previous && previous.name !== inputSpec.name) await rm(store.inputPath(subtaskId, previous.name), { force: true });
  }
  store.data.subtasks[subtaskId] = subtask;
  await store.save();
  return subtask;
}

async function createSubtask(c: RequestContext, store: DatahubStore, inputDirs: readonly string[]): Promise<void> {
  const f = Fields.of(await c.json(), adminError);
  const subtaskId = f.string('subtask_id', { maxLength: 200 });
  if (fileNameProblem(subtaskId) !== undefined) {
    throw adminError('subtask_id', 'subtask_id: must not contain path separators or control characters', 'value');
  }
  const spec = f.has('input_file') ? parseInputSpec(f.raw('input_file'), subtaskId, inputDirs) : undefined;
  const existed = own(store.data.subtasks, subtaskId) !== undefined;
  const subtask = await upsertSubtask(store, subtaskId, spec);
  c.sendJson(existed ? 200 : 201, { subtask_id: subtask.subtask_id, input_file: subtask.input_file ?? null });
}

export function registerAdminRoutes(router: Router, ctx: EmulatorContext, store: DatahubStore): void {
  router.add('POST', '/_emulator/subtasks', 'admin', (c) => createSubtask(c, store, ctx.inputDirs));
}

/** A small CSV whose rows are always the same, so a first look (`npm start`) has something to download. */
export function sampleCsv(rows = 500): string {
  const lines = ['id,name,score,updated_at'];
  for (let i = 1; i <= rows; i++) {
    const score = ((i * 7919) % 1000) / 10;
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(`${i},item-${String(i).padStart(4, '0')},${score.toFixed(1)},2026-01-${day}T00:00:00Z`);
  }
  return `${lines.join('\n')}\n`;
}

export const SAMPLE_SUBTASKS = ['demo-subtask-001', 'demo-subtask-002', 'demo-subtask-003'];

/** demo-subtask-001 has an input file (sample-input.csv) to download; the others are empty upload targets. */
export async function seedDatahub(store: DatahubStore): Promise<void> {
  const [withInput, ...others] = SAMPLE_SUBTASKS;
  if (!own(store.data.subtasks, withInput)?.input_file) {
    await upsertSubtask(store, withInput, { kind: 'text', name: 'sample-input.csv', content: sampleCsv() });
  }
  for (const id of others) if (!own(store.data.subtasks, id)) await upsertSubtask(store, id);
}
