// The job editor panel (host side): loads the job and the pickable sources, validates every page message,
// infers the output schema, saves (POST for a new job, read + full PUT for an existing one), keeps unsaved edits
// (● in the title, "Save changes?" on close, restored after a window reload through the panel serializer).
import * as vscode from 'vscode';
import { encodeBatchSchema } from '../api/pandora/client';
import type { JobBody, JobSource, SchemaField } from '../api/pandora/types';
import { validateJob, type Issue } from '../api/pandora/validation';
import { openJobSql } from '../languages/pandoraSql/register';
import { jobSqlUri, newJobIdOf } from '../languages/pandoraSql/uri';
import {
  JOB_EDITOR_STRINGS,
  jobEditorPageSchema,
  parseJobEditorState,
  type JobDraft,
  type JobDraftBody,
  type JobEditorHostMessage,
  type JobEditorInit,
  type JobEditorPageMessage,
  type SourceOption,
} from './jobEditorProtocol';
import { JobEditorRuns } from './jobEditorRuns';
import { errorsOf, fieldErrors, translateAll, type PandoraPanelDeps } from './jobEditorPanelSupport';
import { Panel, type BaseHostMessage, type ClosedPanel, type PageDefinition } from './panel';

const NEW_JOB: JobBody = {
  srcs: [],
  computation: { type: 'SQL', code: 'SELECT *\nFROM t' },
  container: { type: '1U2G', count: 1 },
  scheduler: { type: 'manual' },
  params: [],
};

export const JOB_EDITOR_VIEW_TYPE = 'datahub.pandora.jobEditor';

const titleOf = (jobName: string | undefined): string => (jobName === undefined ? vscode.l10n.t('New Pandora Job') : vscode.l10n.t('Pandora Job {0}', jobName));

/** Unsaved edits a panel opens with, and the errors of the save that failed when it was closed. */
interface Restore {
  draft: JobDraft;
  errors?: Record<string, string>;
}

type SaveOutcome = { ok: true; schema: SchemaField[] } | { ok: false; errors: Record<string, string> };

/** The body as the form had it is a JobBody when the job rules found nothing wrong with it. */
function isJobBody(_body: JobDraftBody, issues: readonly Issue[]): _body is JobBody {
  return issues.length === 0;
}

/** Checks and saves `draft` (a new job when `name` is undefined); the tree is refreshed after a save. */
async function saveJob(deps: PandoraPanelDeps, name: string | undefined, draft: JobDraft): Promise<SaveOutcome> {
  const { body } = draft;
  const issues = validateJob(draft.name, body);
  if (!isJobBody(body, issues)) return { ok: false, errors: fieldErrors(issues) };
  try {
    if (name === undefined) await deps.client.createJob(draft.name, body);
    else {
      // Update is a full replacement: read the job first (it must still exist), then send every field.
      await deps.client.getJob(name);
      await deps.client.updateJob(name, body);
    }
    deps.refreshTree();
    return { ok: true, schema: (await deps.client.getJob(name ?? draft.name)).schema ?? [] };
  } catch (err) {
    return { ok: false, errors: errorsOf(err) };
  }
}

const JOB_EDITOR: PageDefinition<JobEditorPageMessage> = { viewType: JOB_EDITOR_VIEW_TYPE, script: 'jobEditor', logName: 'pandora job editor', schema: jobEditorPageSchema };

/** The registry key of a job's editor: a job named "new" and the new job's editor are two panels. */
const keyOf = (jobName: string | undefined): string => JSON.stringify([jobName ?? null]);

export class JobEditorPanel extends Panel<JobEditorHostMessage, JobEditorPageMessage, JobDraft> {
  private mode: 'create' | 'edit';
  private name: string;
  private sqlFile: vscode.Uri | undefined;
  private readonly runs: JobEditorRuns;
  /** The last init sent to the page (a new job's SQL document reads the form from it until the page reports a draft). */
  private lastInit: JobEditorInit | undefined;

  /** Opens (or reveals) the editor of `jobName`, or a new job's editor. */
  static show(deps: PandoraPanelDeps, jobName?: string, restore?: Restore): JobEditorPanel {
    const existing = deps.jobEditors.get(keyOf(jobName));
    if (existing) {
      existing.reveal();
      return existing;
    }
    return new JobEditorPanel(deps, jobName, undefined, restore);
  }

  /** A panel VS Code kept over a window reload, with the state its page saved (the job and any unsaved edits). */
  static revive(deps: PandoraPanelDeps, panel: vscode.WebviewPanel, state: unknown): void {
    const saved = parseJobEditorState(state);
    if (!saved || deps.jobEditors.has(keyOf(saved.job ?? undefined))) {
      deps.logger.warn('pandora job editor: a panel kept over a reload had no state to restore; it was closed');
      panel.dispose();
      return;
    }
    new JobEditorPanel(deps, saved.job ?? undefined, panel, saved.draft ? { draft: saved.draft } : undefined);
  }

  /** The open editor of `jobName` (undefined: the new job's). */
  static find(deps: Pick<PandoraPanelDeps, 'jobEditors'>, jobName: string | undefined): JobEditorPanel | undefined {
    return deps.jobEditors.get(keyOf(jobName));
  }

  private constructor(private readonly deps: PandoraPanelDeps, jobName: string | undefined, revived: vscode.WebviewPanel | undefined, private restore: Restore | undefined) {
    super(JOB_EDITOR, deps, deps.jobEditors, keyOf(jobName), titleOf(jobName), revived, restore?.draft);
    this.mode = jobName ? 'edit' : 'create';
    this.name = jobName ?? '';
    this.runs = new JobEditorRuns(deps.client, (m) => this.post(m));
    this.track(
      this.runs,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.sqlFile && e.document.uri.toString() === this.sqlFile.toString()) void this.post({ type: 'sqlChanged', code: e.document.getText() });
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        // A job's own SQL document has saved the job itself (a new job's asked the form to save, see openSqlEditor).
        if (this.sqlFile && doc.uri.toString() === this.sqlFile.toString() && newJobIdOf(doc.uri) === undefined) void this.post({ type: 'sqlChanged', code: doc.getText() });
      }),
    );
  }

  protected title(): string {
    return titleOf(this.mode === 'edit' ? this.name : undefined);
  }

  private async sources(): Promise<SourceOption[]> {
    const [datasources, jobs] = await Promise.all([this.deps.client.listDatasources(), this.deps.client.listJobs()]);
    return [
      ...datasources.map((d) => ({ name: d.name, type: 'DataSource' as const, schema: d.schema })),
      ...jobs.filter((j) => j.name !== this.name).map((j) => ({ name: j.name, type: 'Job' as const, schema: j.schema ?? [] })),
    ];
  }

  private async init(): Promise<JobEditorInit> {
    let draft: JobDraft = { name: '', body: NEW_JOB };
    let schema: SchemaField[] = [];
    if (this.mode === 'edit') {
      const { name, schema: inferred, ...body } = await this.deps.client.getJob(this.name);
      draft = { name, body };
      schema = inferred ?? [];
    }
    const sources = await this.sources();
    // The unsaved edits the panel opened with go to the page's first init only (a later reload of the page has its own).
    const restore = this.restore;
    this.restore = undefined;
    this.lastInit = { type: 'init', mode: this.mode, draft, schema, sources, strings: translateAll(JOB_EDITOR_STRINGS), ...(restore ? { restored: restore.draft, ...(restore.errors ? { errors: restore.errors } : {}) } : {}) };
    return this.lastInit;
  }

  protected async receive(message: JobEditorPageMessage): Promise<JobEditorHostMessage | BaseHostMessage | undefined> {
    switch (message.type) {
      case 'ready': {
        const posted = await this.sendInit(() => this.init());
        // An existing job's runs follow the form (the page draws them below it).
        if (posted.type === 'init' && this.mode === 'edit') void this.runs.refresh(this.name);
        return posted;
      }
      case 'refreshRuns':
        if (this.mode === 'edit') await this.runs.reload(this.name);
        return undefined;
      case 'runAction': {
        const problem = this.mode === 'edit' ? await this.runs.act(this.name, message.payload.action, message.payload.runId) : vscode.l10n.t('Save the job first: a new job has no runs.');
        return this.post(problem === undefined ? { type: 'response', requestId: message.requestId, ok: true, result: null } : { type: 'response', requestId: message.requestId, ok: false, errors: { _form: problem } });
      }
      case 'openSqlEditor':
        await this.openSqlEditor(message.code);
        return undefined;
      case 'inferSchema':
        try {
          return await this.post({ type: 'response', requestId: message.requestId, ok: true, result: await this.infer(message.payload.srcs, message.payload.code) });
        } catch (err) {
          return this.post({ type: 'response', requestId: message.requestId, ok: false, errors: errorsOf(err) });
        }
      case 'save': {
        const outcome = await this.save(message.payload);
        if (!outcome.ok) return this.post({ type: 'response', requestId: message.requestId, ok: false, errors: outcome.errors });
        return this.post({ type: 'response', requestId: message.requestId, ok: true, result: { message: vscode.l10n.t('Saved job {0}.', this.name), mode: 'edit', schema: outcome.schema } });
      }
    }
  }

  private async infer(srcs: JobSource[], code: string): Promise<SchemaField[]> {
    const options = await this.sources();
    const sourceSchemas = srcs.map((s) => {
      const option = options.find((o) => o.type === s.type && o.name === s.name);
      return { type: 'batch' as const, tableName: s.tableName, schema: encodeBatchSchema(option?.schema ?? []) };
    });
    return this.deps.client.inferSchema({ appId: await this.deps.appId(), computation: { type: 'sql', code }, sourceSchemas });
  }

  private async save(draft: JobDraft): Promise<SaveOutcome> {
    const outcome = await saveJob(this.deps, this.mode === 'edit' ? this.name : undefined, draft);
    if (outcome.ok && this.mode === 'create' && !this.isDisposed) {
      this.mode = 'edit';
      this.name = draft.name;
      this.rekey(keyOf(this.name));
    }
    if (outcome.ok && !this.isDisposed) void this.runs.refresh(this.name);
    return outcome;
  }

  protected closedPanel(): ClosedPanel<JobDraft> {
    const deps = this.deps;
    const job = this.mode === 'edit' ? this.name : undefined;
    return {
      save: async (d) => {
        const outcome = await saveJob(deps, job, d);
        if (!outcome.ok) return outcome.errors;
        void vscode.window.showInformationMessage(vscode.l10n.t('Saved job {0}.', d.name));
        return undefined;
      },
      reopen: (d, errors) => void JobEditorPanel.show(deps, job, { draft: d, ...(errors ? { errors } : {}) }),
    };
  }

  /**
   * An existing job's SQL is its own document (datahub-pandora:/jobs/<job>.sql). A new job's is an in-memory document
   * of the same file system (datahub-pandora:/new/<id>.sql) this editor owns: its Save hands the SQL to the form, which
   * saves the job, and its completion reads the form's sources. The page's unsaved text goes into the document.
   */
  private async openSqlEditor(code: string): Promise<void> {
    if (this.mode === 'edit') this.sqlFile = jobSqlUri(this.name);
    else if (!this.sqlFile || newJobIdOf(this.sqlFile) === undefined) {
      this.sqlFile = this.deps.newJobSql.open(code, {
        form: () => {
          const { name, body } = this.draft ?? this.lastInit?.draft ?? { name: '', body: NEW_JOB };
          return { name: name.trim(), srcs: body.srcs, params: body.params ?? [] };
        },
        saved: (sql) => void this.post({ type: 'sqlChanged', code: sql, save: true }),
      });
    }
    const doc = (await openJobSql(this.sqlFile, vscode.ViewColumn.Beside)).document;
    if (doc.getText() !== code) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), code);
      await vscode.workspace.applyEdit(edit);
    }
  }

  override dispose(): void {
    const newJob = !this.isDisposed && this.sqlFile && newJobIdOf(this.sqlFile);
    if (newJob) this.deps.newJobSql.release(newJob);
    super.dispose();
  }
}
