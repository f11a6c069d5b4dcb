// Command "Upload for Simulation Job…" (api 004): one local file, the job asked in six remembered steps,
// then a multipart-upload transfer that ends with confirm.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import { fileNameProblem, JOB_FIELDS, jobFieldProblem, normalizeJob, type JobField, type JobProblem } from '../api/multipart/client';
import { MULTIPART_MAX_FILE_SIZE, type ConfirmJob } from '../api/multipart/types';
import type { Prompts } from '../platform/prompts';
import type { TransferEngine } from '../transfer/engine';
import { formatBytes } from '../transfer/format';
import { contentTypeOf, MULTIPART_UPLOAD_KIND, type MultipartUploadParams } from '../transfer/protocols/multipartUploadRecord';

export interface SimulationUploadDeps {
  engine: TransferEngine;
  prompts: Prompts;
  /** globalState: the last job is remembered and prefilled. */
  state: vscode.Memento;
}

const LAST_JOB_KEY = 'datahub.multipart.lastJob';

interface Step {
  field: JobField;
  prompt: string;
  placeholder: string;
}

/** Built per call so that the strings follow the display language. */
function steps(): Step[] {
  return [
    { field: 'profile_name', prompt: vscode.l10n.t('Profile name'), placeholder: vscode.l10n.t('e.g. Standard') },
    { field: 'version', prompt: vscode.l10n.t('Version'), placeholder: vscode.l10n.t('e.g. v252') },
    { field: 'job_name', prompt: vscode.l10n.t('Job name'), placeholder: vscode.l10n.t('The name the job is shown under') },
    { field: 'submitter', prompt: vscode.l10n.t('Submitter'), placeholder: vscode.l10n.t('Who submits the job') },
    { field: 'thread_count', prompt: vscode.l10n.t('Thread count'), placeholder: vscode.l10n.t('e.g. 8') },
    { field: 'priority', prompt: vscode.l10n.t('Priority'), placeholder: vscode.l10n.t('e.g. 2') },
  ];
}

function problemText(problem: JobProblem): string {
  switch (problem) {
    case 'empty':
      return vscode.l10n.t('Required.');
    case 'digits':
      return vscode.l10n.t('Digits only, e.g. 8.');
    case 'zero':
      return vscode.l10n.t('At least 1.');
  }
}

/** The six confirm fields, prefilled with the last job; undefined when the user dismisses a step. */
async function askJob(prompts: Prompts, fileName: string, last: Partial<ConfirmJob>): Promise<ConfirmJob | undefined> {
  const all = steps();
  const values: Partial<Record<JobField, string>> = {};
  for (const field of JOB_FIELDS) if (typeof last[field] === 'string') values[field] = last[field];
  const title = vscode.l10n.t('Upload {0} for a Simulation Job', fileName);
  for (let i = 0; i < all.length; ) {
    const { field, prompt, placeholder } = all[i];
    const answer = await prompts.step({
      title,
      step: i,
      totalSteps: all.length,
      prompt,
      placeholder,
      value: values[field] ?? '',
      validate: (text) => {
        const problem = jobFieldProblem(field, text);
        return problem ? problemText(problem) : undefined;
      },
    });
    if (answer === undefined) return undefined;
    if (answer.kind === 'back') {
      i = Math.max(0, i - 1);
      continue;
    }
    values[field] = answer.value;
    i++;
  }
  return normalizeJob(values as ConfirmJob);
}

/** From the Explorer (the clicked file) or the palette (an open dialog); returns the transfer id. */
export async function uploadForSimulation(deps: SimulationUploadDeps, clicked?: unknown): Promise<string | undefined> {
  const { engine, state, prompts } = deps;
  let uri = clicked instanceof vscode.Uri ? clicked : undefined;
  if (!uri) {
    const picked = await prompts.openDialog({ canSelectFiles: true, canSelectFolders: false, canSelectMany: false, openLabel: vscode.l10n.t('Upload for Simulation Job') });
    uri = picked?.[0];
    if (!uri) return undefined;
  }
  if (uri.scheme !== 'file') throw new ValidationError('file', vscode.l10n.t('{0} is not a local file', uri.toString()));
  const name = path.basename(uri.fsPath);
  const info = await stat(uri.fsPath);
  if (!info.isFile()) throw new ValidationError('file', vscode.l10n.t('{0} is not a file: a simulation job takes one master file', name));
  if (info.size > MULTIPART_MAX_FILE_SIZE) {
    throw new ValidationError('file', vscode.l10n.t('{0} is {1}; the simulation backend takes files up to 500 MB', name, formatBytes(info.size)));
  }
  const nameProblem = fileNameProblem(name);
  if (nameProblem) throw new ValidationError('filename', nameProblem);

  const job = await askJob(prompts, name, state.get<Partial<ConfirmJob>>(LAST_JOB_KEY, {}));
  if (!job) return undefined;
  await state.update(LAST_JOB_KEY, job);

  const params: MultipartUploadParams = {
    path: uri.fsPath,
    name,
    size: info.size,
    mtimeMs: Math.floor(info.mtimeMs),
    fileType: 'master',
    contentType: contentTypeOf(name),
    job,
  };
  const record = engine.start(MULTIPART_UPLOAD_KIND, params, { label: vscode.l10n.t('{0} (job {1})', name, job.job_name), localPath: uri.fsPath, bytesTotal: info.size });
  vscode.window.setStatusBarMessage(vscode.l10n.t('Uploading {0} ({1}) for simulation job {2}', name, formatBytes(info.size), job.job_name), 4000);
  return record.id;
}
