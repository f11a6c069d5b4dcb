// The SQL of new jobs, before the job exists: datahub-pandora:/new/<id>.sql documents held in memory for the job
// editor that opened them. Saving one hands the SQL to that editor, whose form saves the job (with its name,
// sources and schedule); completion, hover and the $(…) check read the form's sources and params. No file is written.
import * as vscode from 'vscode';
import type { JobParam, JobSource } from '../../api/pandora/types';
import { newJobSqlUri } from './uri';

/** The job editor a new job's document belongs to. */
export interface NewJobOwner {
  /** The form's name (may be empty), sources and params, as the person has them now. */
  form(): { name: string; srcs: JobSource[]; params: JobParam[] };
  /** The document was saved with `code`: the form takes it and saves the job. */
  saved(code: string): void;
}

interface Entry {
  code: string;
  mtime: number;
  owner: NewJobOwner | undefined;
}

export class NewJobDocuments {
  private readonly entries = new Map<string, Entry>();
  private next = 1;

  /** A document for a new job's SQL, starting as `code`. */
  open(code: string, owner: NewJobOwner): vscode.Uri {
    const id = `job-${this.next++}`;
    this.entries.set(id, { code, mtime: Date.now(), owner });
    return newJobSqlUri(id);
  }

  read(id: string): { code: string; mtime: number } | undefined {
    return this.entries.get(id);
  }

  /** The form of the editor that owns `id` (undefined once it was closed). */
  form(id: string): ReturnType<NewJobOwner['form']> | undefined {
    return this.entries.get(id)?.owner?.form();
  }

  /** Keeps `code` and hands it to the owner; false when its editor was closed (nothing can save it). */
  write(id: string, code: string): boolean {
    const entry = this.entries.get(id);
    if (!entry?.owner) return false;
    entry.code = code;
    entry.mtime = Math.max(Date.now(), entry.mtime + 1);
    entry.owner.saved(code);
    return true;
  }

  /** The job editor closed: the document stays readable but can no longer be saved. */
  release(id: string): void {
    const entry = this.entries.get(id);
    if (entry) entry.owner = undefined;
  }
}
