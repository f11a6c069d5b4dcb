// The job editor panel (host side): loads the job and the pickable sources, validates every page message,
// infers the output schema, saves (POST for a new job, read + full PUT for an existing one).
import * as vscode from 'vscode';
import { encodeBatchSchema } from '../api/pandora/client';
import type { JobBody, JobSource, SchemaField } from '../api/pandora/types';
import { validateJob } from '../api/pandora/validation';
import { openJobSql } from '../languages/pandoraSql/register';
import { jobNameOf } from '../languages/pandoraSql/uri';
import { renderWebviewPage, webviewOptions } from './html';
import { sqlFileName } from './jobSqlFile';
import {
  JOB_EDITOR_STRINGS,
  parseJobEditorMessage,
  type JobDraft,
  type JobEditorHostMessage,
  type JobEditorInit,
  type SourceOption,
} from './jobEditorProtocol';
import { errorsOf, fieldErrors, REFUSED, translateAll, type PandoraPanelDeps } from './jobEditorPanelSupport';

const NEW_JOB: JobBody = {
  srcs: [],
  computation: { type: 'SQL', code: 'SELECT *\nFROM t' },
  container: { type: '1U2G', count: 1 },
  scheduler: { type: 'manual' },
  params: [],
};

export class JobEditorPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, JobEditorPanel>();
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private mode: 'create' | 'edit';
  private name: string;
  private sqlFile: vscode.Uri | undefined;
  /** The last init sent to the page (the integration tests read it through the test hook). */
  lastInit: JobEditorInit | undefined;
  /** The page has loaded, said ready and been sent its init (the integration tests wait for it). */
  pageInitialised = false;

  /** The panels' key: a job named "new" and the new job's editor are two panels. */
  private static key(jobName: string | undefined): string {
    return JSON.stringify([jobName ?? null]);
  }

  /** Opens (or reveals) the editor of `jobName`, or a new job's editor. */
  static show(deps: PandoraPanelDeps, jobName?: string): JobEditorPanel {
    const key = JobEditorPanel.key(jobName);
    const existing = JobEditorPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = new JobEditorPanel(deps, jobName);
    JobEditorPanel.panels.set(key, panel);
    return panel;
  }

  /** The open editor of `jobName` (undefined: the new job's), for the test hook. */
  static find(jobName: string | undefined): JobEditorPanel | undefined {
    return JobEditorPanel.panels.get(JobEditorPanel.key(jobName));
  }

  private constructor(private readonly deps: PandoraPanelDeps, jobName: string | undefined) {
    this.mode = jobName ? 'edit' : 'create';
    this.name = jobName ?? '';
    this.panel = vscode.window.createWebviewPanel('datahub.pandora.jobEditor', this.title(), vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    this.panel.webview.html = renderWebviewPage({ webview: this.panel.webview, extensionUri: deps.extensionUri, script: 'jobEditor', title: this.title(), lang: vscode.env.language });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.fromPage(m)),
      this.panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.sqlFile && e.document.uri.toString() === this.sqlFile.toString()) void this.post({ type: 'sqlChanged', code: e.document.getText() });
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        // A job's own SQL document has saved the job itself; a new job's file asks the page to save.
        if (this.sqlFile && doc.uri.toString() === this.sqlFile.toString()) void this.post({ type: 'sqlChanged', code: doc.getText(), save: jobNameOf(doc.uri) === undefined });
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
    return { type: 'init', mode: this.mode, draft, schema, sources: await this.sources(), strings: translateAll(JOB_EDITOR_STRINGS) };
  }

  /** A message the page itself posted; once it has been answered with its init, the page holds the form. */
  private async fromPage(raw: unknown): Promise<void> {
    if ((await this.handle(raw))?.type === 'init') this.pageInitialised = true;
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
          this.lastInit = { type: 'init', mode: this.mode, draft: { name: this.name, body: NEW_JOB }, schema: [], sources: [], strings: translateAll(JOB_EDITOR_STRINGS) };
          await this.post(this.lastInit);
          return this.post({ type: 'response', requestId: 0, ok: false, errors: errorsOf(err) });
        }
        return this.post(this.lastInit);
      }
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
        const issues = validateJob(message.payload.name, message.payload.body);
        if (issues.length) return this.post({ type: 'response', requestId: message.requestId, ok: false, errors: fieldErrors(issues) });
        try {
          const schema = await this.save(message.payload);
          return this.post({ type: 'response', requestId: message.requestId, ok: true, result: { message: vscode.l10n.t('Saved job {0}.', this.name), mode: 'edit', schema } });
        } catch (err) {
          return this.post({ type: 'response', requestId: message.requestId, ok: false, errors: errorsOf(err) });
        }
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

  private async save(draft: JobDraft): Promise<SchemaField[]> {
    if (this.mode === 'create') {
      await this.deps.client.createJob(draft.name, draft.body);
      JobEditorPanel.panels.delete(JobEditorPanel.key(undefined));
      this.mode = 'edit';
      this.name = draft.name;
      JobEditorPanel.panels.set(JobEditorPanel.key(this.name), this);
      this.panel.title = this.title();
    } else {
      // Update is a full replacement: read the job first (it must still exist), then send every field.
      await this.deps.client.getJob(this.name);
      await this.deps.client.updateJob(this.name, draft.body);
    }
    this.deps.refreshTree();
    return (await this.deps.client.getJob(this.name)).schema ?? [];
  }

  private async openSqlEditor(code: string): Promise<void> {
    if (this.mode === 'edit') {
      // An existing job's SQL is its own document (datahub-pandora:/jobs/<job>.sql); the page's unsaved text goes into it.
      const doc = (await openJobSql(this.name, vscode.ViewColumn.Beside)).document;
      this.sqlFile = doc.uri;
      if (doc.getText() !== code) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), code);
        await vscode.workspace.applyEdit(edit);
      }
      return;
    }
    const dir = vscode.Uri.joinPath(this.deps.storageUri, 'pandora-sql');
    await vscode.workspace.fs.createDirectory(dir);
    // The job name comes from the server: it only ever names one file inside `dir` (see sqlFileName).
    const file = vscode.Uri.joinPath(dir, sqlFileName(this.name));
    if (file.path !== `${dir.path}/${sqlFileName(this.name)}`) throw new Error(`the SQL file of job ${JSON.stringify(this.name)} would leave ${dir.fsPath}`);
    this.sqlFile = file;
    await vscode.workspace.fs.writeFile(this.sqlFile, new TextEncoder().encode(code));
    const doc = await vscode.workspace.openTextDocument(this.sqlFile);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  dispose(): void {
    for (const [key, panel] of JobEditorPanel.panels) if (panel === this) JobEditorPanel.panels.delete(key);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}
