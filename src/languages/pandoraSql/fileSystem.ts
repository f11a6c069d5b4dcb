// The file system behind datahub-pandora:/jobs/<job>.sql: reading a file reads the job; writing reads the job
// again and sends it whole with the new SQL (an update is a full replacement, as the job editor saves). When the
// job's SQL on the server is no longer what the document was opened from, the person decides (ConflictResolver).
// datahub-pandora:/new/<id>.sql, a new job's SQL, is held in memory by NewJobDocuments; saving it hands it to the job editor.
import * as vscode from 'vscode';
import { ApiError } from '../../api/errors';
import type { PandoraClient } from '../../api/pandora/client';
import type { Job, JobBody } from '../../api/pandora/types';
import { describeError } from '../../platform/commands';
import type { ConflictResolver } from './conflict';
import type { NewJobDocuments } from './newJobs';
import { jobNameOf, newJobIdOf } from './uri';

interface Known {
  /** The job's SQL as last read from or written to the server: what the document was opened from. */
  base: string;
  mtime: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class PandoraSqlFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly known = new Map<string, Known>();
  /** Documents to load the server's SQL into once their save has finished (the person chose Reload). */
  private readonly reloads = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  private readonly saved: vscode.Disposable;

  constructor(
    private readonly client: PandoraClient,
    private readonly conflicts: ConflictResolver,
    private readonly newJobs: NewJobDocuments,
    /** Told after the job was written (caches, the Pandora tree). */
    private readonly onJobWritten: (job: string) => void,
    /** Told when the backend refused the new SQL (the diagnostics then say where). */
    private readonly onWriteRefused: (uri: vscode.Uri) => void,
  ) {
    this.saved = vscode.workspace.onDidSaveTextDocument((doc) => void this.finishReload(doc));
  }

  watch(): vscode.Disposable {
    // Nothing to watch: the backend has no change feed. A change made elsewhere is found when saving.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (uri.path === '/' || uri.path === '/jobs' || uri.path === '/new') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const newJob = this.newJob(uri);
    if (newJob) return { type: vscode.FileType.File, ctime: 0, mtime: newJob.entry.mtime, size: encoder.encode(newJob.entry.code).byteLength };
    const name = this.nameOf(uri);
    let known = this.known.get(name);
    if (!known) {
      this.remember(name, (await this.fetch(uri, name)).computation.code);
      known = this.known.get(name);
    }
    return { type: vscode.FileType.File, ctime: 0, mtime: known?.mtime ?? 0, size: encoder.encode(known?.base ?? '').byteLength };
  }

  readDirectory(): [string, vscode.FileType][] {
    // Jobs are listed in the Pandora view; this folder is not browsed.
    return [];
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const newJob = this.newJob(uri);
    if (newJob) return encoder.encode(newJob.entry.code);
    const name = this.nameOf(uri);
    const code = (await this.fetch(uri, name)).computation.code;
    this.remember(name, code);
    return encoder.encode(code);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const newJob = this.newJob(uri);
    if (newJob) {
      if (!this.newJobs.write(newJob.id, decoder.decode(content))) throw new vscode.FileSystemError(vscode.l10n.t('Not saved: the job editor of this new job was closed. Copy the SQL into a new job editor.'));
      return;
    }
    const name = this.nameOf(uri);
    const sql = decoder.decode(content);
    // Update is a full replacement: read the job first (it must still exist), then send every field.
    const job = await this.fetch(uri, name);
    const server = job.computation.code;
    const base = this.known.get(name)?.base;
    if (sql !== server && base !== undefined && server !== base) {
      const choice = await this.conflicts.resolve(name, server);
      if (choice === 'reload') {
        this.reloads.set(uri.toString(), server);
        this.remember(name, server);
        return;
      }
      if (choice !== 'overwrite') throw new vscode.FileSystemError(vscode.l10n.t('Not saved: the SQL of job {0} was changed elsewhere. Save again to compare and choose.', name));
    }
    if (sql !== server) {
      const { name: _name, schema: _schema, ...body } = job;
      const next: JobBody = { ...body, computation: { ...body.computation, code: sql } };
      try {
        await this.client.updateJob(name, next);
      } catch (err) {
        this.onWriteRefused(uri);
        throw new vscode.FileSystemError(vscode.l10n.t('Job {0} was not saved: {1}', name, describeError(err)));
      }
    }
    this.remember(name, sql);
    this.onJobWritten(name);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  /** The SQL the document of `job` was opened from (undefined before it was read). */
  baseOf(job: string): string | undefined {
    return this.known.get(job)?.base;
  }

  private remember(name: string, code: string): void {
    const previous = this.known.get(name);
    if (previous?.base === code) return;
    // A later mtime whenever the content changes, so VS Code never takes new content for the old.
    this.known.set(name, { base: code, mtime: Math.max(Date.now(), (previous?.mtime ?? 0) + 1) });
  }

  /** A new job's document (undefined for any other address; FileNotFound for one nobody holds). */
  private newJob(uri: vscode.Uri): { id: string; entry: { code: string; mtime: number } } | undefined {
    const id = newJobIdOf(uri);
    if (id === undefined) return undefined;
    const entry = this.newJobs.read(id);
    if (!entry) throw vscode.FileSystemError.FileNotFound(uri);
    return { id, entry };
  }

  private nameOf(uri: vscode.Uri): string {
    const name = jobNameOf(uri);
    if (name === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    return name;
  }

  private async fetch(uri: vscode.Uri, name: string): Promise<Job> {
    try {
      return await this.client.getJob(name);
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'E18202' || err.httpStatus === 404)) throw vscode.FileSystemError.FileNotFound(uri);
      throw new vscode.FileSystemError(describeError(err));
    }
  }

  /** After a save answered with Reload: the server's SQL replaces the text (the person's stays in Undo). */
  private async finishReload(doc: vscode.TextDocument): Promise<void> {
    const server = this.reloads.get(doc.uri.toString());
    if (server === undefined) return;
    this.reloads.delete(doc.uri.toString());
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), server);
    if (await vscode.workspace.applyEdit(edit)) await doc.save();
  }

  dispose(): void {
    this.saved.dispose();
    this.changes.dispose();
  }
}
