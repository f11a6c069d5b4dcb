// The job editor panel (host side): loads the job and the pickable sources, validates every page message,
// infers the output schema, saves (POST for a new job, read + full PUT for an existing one), keeps unsaved edits
// (● in the title, "Save changes?" on close, restored after a window reload through the panel serializer).
import * as vscode from 'vscode';
import { encodeBatchSchema } from '../api/pandora/client';
import type { JobBody, JobSource, SchemaField } from '../api/pandora/types';
import { validateJob } from '../api/pandora/validation';
import { openJobSql } from '../languages/pandoraSql/register';
import { jobSqlUri, newJobIdOf } from '../languages/pandoraSql/uri';
import { PanelDraft, settleClosedDraft } from './drafts';
import { renderWebviewPage, webviewOptions } from './html';
import {
  JOB_EDITOR_STRINGS,
  parseJobEditorMessage,
  parseJobEditorState,
  type JobDraft,
  type JobEditorHostMessage,
  type JobEditorInit,
  type RunsMessage,
  type SourceOption,
} from './jobEditorProtocol';
import { JobEditorRuns } from './jobEditorRuns';
import { errorsOf, fieldErrors, REFUSED, translateAll, type PandoraPanelDeps } from './jobEditorPanelSupport';

const NEW_JOB: JobBody = {
  srcs: [],
  computation: { type: 'SQL', code: 'SELECT *\nFROM t' },
  container: { type: '1U2G', count: 1 },
  scheduler: { type: 'manual' },
  params: [],
};

export const JOB_EDITOR_VIEW_TYPE = 'datahub.pandora.jobEditor';

/** Unsaved edits a panel opens with, and the errors of the save that failed when it was closed. */
interface Restore {
  draft: JobDraft;
  errors?: Record<string, string>;
}

type SaveOutcome = { ok: true; schema: SchemaField[] } | { ok: false; errors: Record<string, string> };

/** Checks and saves `draft` (a new job when `name` is undefined); the tree is refreshed after a save. */
async function saveJob(deps: PandoraPanelDeps, name: string | undefined, draft: JobDraft): Promise<SaveOutcome> {
  const issues = validateJob(draft.name, draft.body);
  if (issues.length) return { ok: false, errors: fieldErrors(issues) };
  try {
    if (name === undefined) await deps.client.createJob(draft.name, draft.body);
    else {
      // Update is a full replacement: read the job first (it must still exist), then send every field.
      await deps.client.getJob(name);
      await deps.client.updateJob(name, draft.body);
    }
    deps.refreshTree();
    return { ok: true, schema: (await deps.client.getJob(name ?? draft.name)).schema ?? [] };
  } catch (err) {
    return { ok: false, errors: errorsOf(err) };
  }
}

export class JobEditorPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, JobEditorPanel>();
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private mode: 'create' | 'edit';
  private name: string;
  private sqlFile: vscode.Uri | undefined;
  private readonly draft: PanelDraft<JobDraft>;
  private readonly runs: JobEditorRuns;
  private closing = false;
  /** The last init sent to the page (the integration tests read it through the test hook). */
  lastInit: JobEditorInit | undefined;
  /** The page has loaded, been sent its init and reported the form it shows (the integration tests wait for it). */
  pageInitialised = false;

  /** The run history last sent to the page (the integration tests read it through the test hook). */
  get lastRuns(): RunsMessage | undefined {
    return this.runs.last;
  }

  /** The panels' key: a job named "new" and the new job's editor are two panels. */
  private static key(jobName: string | undefined): string {
    return JSON.stringify([jobName ?? null]);
  }

  /** Opens (or reveals) the editor of `jobName`, or a new job's editor. */
  static show(deps: PandoraPanelDeps, jobName?: string, restore?: Restore): JobEditorPanel {
    const key = JobEditorPanel.key(jobName);
    const existing = JobEditorPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = new JobEditorPanel(deps, jobName, undefined, restore);
    JobEditorPanel.panels.set(key, panel);
    return panel;
  }

  /** A panel VS Code kept over a window reload, with the state its page saved (the job and any unsaved edits). */
  static revive(deps: PandoraPanelDeps, panel: vscode.WebviewPanel, state: unknown): void {
    const saved = parseJobEditorState(state);
    const key = JobEditorPanel.key(saved?.job ?? undefined);
    if (!saved || JobEditorPanel.panels.has(key)) {
      deps.logger.warn('pandora job editor: a panel kept over a reload had no state to restore; it was closed');
      panel.dispose();
      return;
    }
    JobEditorPanel.panels.set(key, new JobEditorPanel(deps, saved.job ?? undefined, panel, saved.draft ? { draft: saved.draft } : undefined));
  }

  /** The open editor of `jobName` (undefined: the new job's), for the test hook. */
  static find(jobName: string | undefined): JobEditorPanel | undefined {
    return JobEditorPanel.panels.get(JobEditorPanel.key(jobName));
  }

  private constructor(private readonly deps: PandoraPanelDeps, jobName: string | undefined, revived: vscode.WebviewPanel | undefined, private restore: Restore | undefined) {
    this.mode = jobName ? 'edit' : 'create';
    this.name = jobName ?? '';
    const options = webviewOptions(deps.extensionUri);
    this.panel = revived ?? vscode.window.createWebviewPanel(JOB_EDITOR_VIEW_TYPE, this.title(), vscode.ViewColumn.Active, options);
    if (revived) revived.webview.options = options;
    this.draft = new PanelDraft(this.panel, () => this.title());
    this.draft.set(restore?.draft);
    this.runs = new JobEditorRuns(deps.client, (m) => this.post(m));
    this.panel.webview.html = renderWebviewPage({ webview: this.panel.webview, extensionUri: deps.extensionUri, script: 'jobEditor', title: this.title(), lang: vscode.env.language });
    this.disposables.push(
      this.runs,
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.fromPage(m)),
      this.panel.onDidDispose(() => this.closed()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.sqlFile && e.document.uri.toString() === this.sqlFile.toString()) void this.post({ type: 'sqlChanged', code: e.document.getText() });
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        // A job's own SQL document has saved the job itself (a new job's asked the form to save, see openSqlEditor).
        if (this.sqlFile && doc.uri.toString() === this.sqlFile.toString() && newJobIdOf(doc.uri) === undefined) void this.post({ type: 'sqlChanged', code: doc.getText() });
      }),
    );
  }

  private title(): string {
    return this.mode === 'create' ? vscode.l10n.t('New Pandora Job') : vscode.l10n.t('Pandora Job {0}', this.name);
  }

  private async post(message: JobEditorHostMessage): Promise<JobEditorHostMessage> {
    await this.panel.webview.postMessage(message);
    return message;
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
    return { type: 'init', mode: this.mode, draft, schema, sources: await this.sources(), strings: translateAll(JOB_EDITOR_STRINGS), ...this.restored() };
  }

  /** The unsaved edits the panel opened with, for the page's first init only (a later reload of the page has its own). */
  private restored(): Pick<JobEditorInit, 'restored' | 'errors'> {
    const restore = this.restore;
    this.restore = undefined;
    return restore ? { restored: restore.draft, ...(restore.errors ? { errors: restore.errors } : {}) } : {};
  }

  /** A message the page itself posted; its first report of the form's state (after its init) says it holds the form. */
  private async fromPage(raw: unknown): Promise<void> {
    await this.handle(raw);
    if (typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'draft') this.pageInitialised = true;
  }

  /** Handles one message from the page and returns what was posted back (undefined when nothing was). */
  async handle(raw: unknown): Promise<JobEditorHostMessage | undefined> {
    const message = parseJobEditorMessage(raw);
    if (!message) {
      this.deps.logger.warn(`pandora job editor: refused a page message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      const requestId = typeof raw === 'object' && raw !== null ? (raw as { requestId?: unknown }).requestId : undefined;
      if (typeof requestId === 'number') return this.post({ type: 'response', requestId, ok: false, errors: REFUSED() });
      return undefined;
    }
    switch (message.type) {
      case 'ready': {
        try {
          this.lastInit = await this.init();
        } catch (err) {
          this.deps.logger.error(`pandora job editor: ${String(err)}`);
          this.lastInit = { type: 'init', mode: this.mode, draft: { name: this.name, body: NEW_JOB }, schema: [], sources: [], strings: translateAll(JOB_EDITOR_STRINGS), ...this.restored() };
          await this.post(this.lastInit);
          return this.post({ type: 'response', requestId: 0, ok: false, errors: errorsOf(err) });
        }
        const posted = await this.post(this.lastInit);
        // An existing job's runs follow the form (the page draws them below it).
        if (this.mode === 'edit') void this.runs.refresh(this.name);
        return posted;
      }
      case 'refreshRuns':
        if (this.mode === 'edit') await this.runs.reload(this.name);
        return undefined;
      case 'runAction': {
        const problem = this.mode === 'edit' ? await this.runs.act(this.name, message.payload.action, message.payload.runId) : vscode.l10n.t('Save the job first: a new job has no runs.');
        return this.post(problem === undefined ? { type: 'response', requestId: message.requestId, ok: true, result: null } : { type: 'response', requestId: message.requestId, ok: false, errors: { _form: problem } });
      }
      case 'draft':
        this.draft.set(message.draft ?? undefined);
        return undefined;
      case 'cancel':
        this.panel.dispose();
        return undefined;
      case 'openSqlEditor':
        await this.openSqlEditor(message.code);
        return undefined;
      case 'inferSchema':
        try {
          return this.post({ type: 'response', requestId: message.requestId, ok: true, result: await this.infer(message.payload.srcs, message.payload.code) });
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
    if (outcome.ok && this.mode === 'create' && !this.closing) {
      JobEditorPanel.panels.delete(JobEditorPanel.key(undefined));
      this.mode = 'edit';
      this.name = draft.name;
      JobEditorPanel.panels.set(JobEditorPanel.key(this.name), this);
    }
    // The page reports the saved form as clean right after the response; the title drops ● then.
    if (outcome.ok && !this.closing) {
      this.draft.retitle();
      void this.runs.refresh(this.name);
    }
    return outcome;
  }

  /** The panel was closed: with unsaved edits, ask (the close cannot be stopped, so Cancel opens it again with them). */
  private closed(): void {
    this.closing = true;
    const draft = this.draft.current;
    const title = this.title();
    const job = this.mode === 'edit' ? this.name : undefined;
    this.dispose();
    if (!draft) return;
    const deps = this.deps;
    void settleClosedDraft({
      prompts: deps.prompts,
      title,
      draft,
      save: async (d) => {
        const outcome = await saveJob(deps, job, d);
        if (!outcome.ok) return outcome.errors;
        void vscode.window.showInformationMessage(vscode.l10n.t('Saved job {0}.', d.name));
        return undefined;
      },
      reopen: (d, errors) => void JobEditorPanel.show(deps, job, { draft: d, ...(errors ? { errors } : {}) }),
    });
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
          const { name, body } = this.draft.current ?? this.lastInit?.draft ?? { name: '', body: NEW_JOB };
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

  dispose(): void {
    this.closing = true;
    const newJob = this.sqlFile && newJobIdOf(this.sqlFile);
    if (newJob) this.deps.newJobSql.release(newJob);
    for (const [key, panel] of JobEditorPanel.panels) if (panel === this) JobEditorPanel.panels.delete(key);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}
