// The export spec editor panel (host side): loads the job's output schema and the export, validates every
// page message, saves (POST for a new export, read + PUT of the spec for an existing one).
import * as vscode from 'vscode';
import type { ExportBody } from '../api/pandora/types';
import { validateExport, validateExportSpec } from '../api/pandora/validation';
import { EXPORT_EDITOR_STRINGS, parseExportEditorMessage, type ExportDraft, type ExportEditorHostMessage, type ExportEditorInit } from './exportEditorProtocol';
import { renderWebviewPage, webviewOptions } from './html';
import { errorsOf, fieldErrors, REFUSED, translateAll, type PandoraPanelDeps } from './jobEditorPanelSupport';

const NEW_EXPORT: ExportBody = { type: 'kodo', spec: { bucket: '', format: 'json', compression: 'none', fileCount: 1, saveMode: 'overwrite' } };

export class ExportEditorPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, ExportEditorPanel>();
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private mode: 'create' | 'edit';
  private name: string;
  private columns: string[] = [];
  /** The type of the export being edited (it cannot change). */
  private type: ExportBody['type'] | undefined;
  lastInit: ExportEditorInit | undefined;

  /** The panels' key: names are data (an export named "new", a job name with a slash) and never collide. */
  static key(jobName: string, exportName?: string): string {
    return JSON.stringify([jobName, exportName ?? null]);
  }

  static show(deps: PandoraPanelDeps, jobName: string, exportName?: string): ExportEditorPanel {
    const key = ExportEditorPanel.key(jobName, exportName);
    const existing = ExportEditorPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = new ExportEditorPanel(deps, jobName, exportName);
    ExportEditorPanel.panels.set(key, panel);
    return panel;
  }

  /** The open editor of `exportName` of `jobName` (undefined: a new export's), for the test hook. */
  static find(jobName: string, exportName?: string): ExportEditorPanel | undefined {
    return ExportEditorPanel.panels.get(ExportEditorPanel.key(jobName, exportName));
  }

  private constructor(private readonly deps: PandoraPanelDeps, private readonly jobName: string, exportName: string | undefined) {
    this.mode = exportName ? 'edit' : 'create';
    this.name = exportName ?? '';
    this.panel = vscode.window.createWebviewPanel('datahub.pandora.exportEditor', this.title(), vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    this.panel.webview.html = renderWebviewPage({ webview: this.panel.webview, extensionUri: deps.extensionUri, script: 'exportEditor', title: this.title(), lang: vscode.env.language });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.handle(m)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  private title(): string {
    return this.mode === 'create' ? vscode.l10n.t('New Export of {0}', this.jobName) : vscode.l10n.t('Export {0} of {1}', this.name, this.jobName);
  }

  private async post(message: ExportEditorHostMessage): Promise<ExportEditorHostMessage> {
    await this.panel.webview.postMessage(message);
    return message;
  }

  private async init(): Promise<ExportEditorInit> {
    const job = await this.deps.client.getJob(this.jobName);
    const columns = job.schema ?? [];
    this.columns = columns.map((c) => c.key);
    let draft: ExportDraft = { name: '', body: NEW_EXPORT };
    if (this.mode === 'edit') {
      const { name, ...body } = await this.deps.client.getExport(this.jobName, this.name);
      draft = { name, body: body as ExportBody };
      this.type = draft.body.type;
    }
    return { type: 'init', mode: this.mode, jobName: this.jobName, draft, columns, strings: translateAll(EXPORT_EDITOR_STRINGS) };
  }

  async handle(raw: unknown): Promise<ExportEditorHostMessage | undefined> {
    const message = parseExportEditorMessage(raw);
    if (!message) {
      this.deps.logger.warn(`pandora export editor: refused a page message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      const requestId = typeof raw === 'object' && raw !== null ? (raw as { requestId?: unknown }).requestId : undefined;
      if (typeof requestId === 'number') return this.post({ type: 'response', requestId, ok: false, errors: REFUSED() });
      return undefined;
    }
    if (message.type === 'ready') {
      try {
        this.lastInit = await this.init();
        return this.post(this.lastInit);
      } catch (err) {
        this.deps.logger.error(`pandora export editor: ${String(err)}`);
        return this.post({ type: 'response', requestId: 0, ok: false, errors: errorsOf(err) });
      }
    }
    const { name, body } = message.payload;
    if (this.mode === 'edit' && body.type !== this.type) {
      return this.post({ type: 'response', requestId: message.requestId, ok: false, errors: { type: vscode.l10n.t('The type of an existing export cannot change.') } });
    }
    const issues = this.mode === 'create' ? validateExport(name, body, this.columns) : validateExportSpec(body.type, body.spec, this.columns);
    if (issues.length) return this.post({ type: 'response', requestId: message.requestId, ok: false, errors: fieldErrors(issues) });
    try {
      if (this.mode === 'create') {
        await this.deps.client.createExport(this.jobName, name, body, this.columns);
        ExportEditorPanel.panels.delete(ExportEditorPanel.key(this.jobName));
        this.mode = 'edit';
        this.name = name;
        this.type = body.type;
        ExportEditorPanel.panels.set(ExportEditorPanel.key(this.jobName, name), this);
        this.panel.title = this.title();
      } else {
        // The type of an export does not change: read it and send the new spec for that type.
        const existing = await this.deps.client.getExport(this.jobName, this.name);
        await this.deps.client.updateExport(this.jobName, this.name, existing.type, body.spec, this.columns);
      }
      this.deps.refreshTree();
      return this.post({ type: 'response', requestId: message.requestId, ok: true, result: { message: vscode.l10n.t('Saved export {0}.', this.name), mode: 'edit' } });
    } catch (err) {
      return this.post({ type: 'response', requestId: message.requestId, ok: false, errors: errorsOf(err) });
    }
  }

  dispose(): void {
    for (const [key, panel] of ExportEditorPanel.panels) if (panel === this) ExportEditorPanel.panels.delete(key);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}
