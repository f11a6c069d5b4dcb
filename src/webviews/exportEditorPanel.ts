// The export spec editor panel (host side): loads the job's output schema and the export, validates every
// page message, saves (POST for a new export, read + PUT of the spec for an existing one), keeps unsaved edits
// (● in the title, "Save changes?" on close, restored after a window reload through the panel serializer).
import * as vscode from 'vscode';
import type { ExportBody } from '../api/pandora/types';
import { validateExport, validateExportSpec } from '../api/pandora/validation';
import { PanelDraft, settleClosedDraft } from './drafts';
import {
  EXPORT_EDITOR_STRINGS,
  parseExportEditorMessage,
  parseExportEditorState,
  type ExportDraft,
  type ExportEditorHostMessage,
  type ExportEditorInit,
} from './exportEditorProtocol';
import { renderWebviewPage, webviewOptions } from './html';
import { errorsOf, fieldErrors, REFUSED, translateAll, type PandoraPanelDeps } from './jobEditorPanelSupport';

export const EXPORT_EDITOR_VIEW_TYPE = 'datahub.pandora.exportEditor';

const NEW_EXPORT: ExportBody = { type: 'kodo', spec: { bucket: '', format: 'json', compression: 'none', fileCount: 1, saveMode: 'overwrite' } };

interface Restore {
  draft: ExportDraft;
  errors?: Record<string, string>;
}

/** Where a save goes: the job, the export (undefined: a new one), its type, the job's output columns. */
interface Target {
  jobName: string;
  name: string | undefined;
  type: ExportBody['type'] | undefined;
  columns: string[];
}

/** Checks and saves `draft`; undefined when it was saved, else the field errors. */
async function saveExport(deps: PandoraPanelDeps, target: Target, draft: ExportDraft): Promise<Record<string, string> | undefined> {
  const { name, body } = draft;
  if (target.name !== undefined && body.type !== target.type) return { type: vscode.l10n.t('The type of an existing export cannot change.') };
  const issues = target.name === undefined ? validateExport(name, body, target.columns) : validateExportSpec(body.type, body.spec, target.columns);
  if (issues.length) return fieldErrors(issues);
  try {
    if (target.name === undefined) await deps.client.createExport(target.jobName, name, body, target.columns);
    else {
      // The type of an export does not change: read it and send the new spec for that type.
      const existing = await deps.client.getExport(target.jobName, target.name);
      await deps.client.updateExport(target.jobName, target.name, existing.type, body.spec, target.columns);
    }
    deps.refreshTree();
    return undefined;
  } catch (err) {
    return errorsOf(err);
  }
}

export class ExportEditorPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, ExportEditorPanel>();
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly draft: PanelDraft<ExportDraft>;
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

  static show(deps: PandoraPanelDeps, jobName: string, exportName?: string, restore?: Restore): ExportEditorPanel {
    const key = ExportEditorPanel.key(jobName, exportName);
    const existing = ExportEditorPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = new ExportEditorPanel(deps, jobName, exportName, undefined, restore);
    ExportEditorPanel.panels.set(key, panel);
    return panel;
  }

  /** A panel VS Code kept over a window reload, with the state its page saved (the export and any unsaved edits). */
  static revive(deps: PandoraPanelDeps, panel: vscode.WebviewPanel, state: unknown): void {
    const saved = parseExportEditorState(state);
    const key = saved ? ExportEditorPanel.key(saved.job, saved.export ?? undefined) : '';
    if (!saved || ExportEditorPanel.panels.has(key)) {
      deps.logger.warn('pandora export editor: a panel kept over a reload had no state to restore; it was closed');
      panel.dispose();
      return;
    }
    ExportEditorPanel.panels.set(key, new ExportEditorPanel(deps, saved.job, saved.export ?? undefined, panel, saved.draft ? { draft: saved.draft } : undefined));
  }

  /** The open editor of `exportName` of `jobName` (undefined: a new export's), for the test hook. */
  static find(jobName: string, exportName?: string): ExportEditorPanel | undefined {
    return ExportEditorPanel.panels.get(ExportEditorPanel.key(jobName, exportName));
  }

  private constructor(
    private readonly deps: PandoraPanelDeps,
    private readonly jobName: string,
    exportName: string | undefined,
    revived: vscode.WebviewPanel | undefined,
    private restore: Restore | undefined,
  ) {
    this.mode = exportName ? 'edit' : 'create';
    this.name = exportName ?? '';
    const options = webviewOptions(deps.extensionUri);
    this.panel = revived ?? vscode.window.createWebviewPanel(EXPORT_EDITOR_VIEW_TYPE, this.title(), vscode.ViewColumn.Active, options);
    if (revived) revived.webview.options = options;
    this.draft = new PanelDraft(this.panel, () => this.title());
    this.draft.set(restore?.draft);
    this.panel.webview.html = renderWebviewPage({ webview: this.panel.webview, extensionUri: deps.extensionUri, script: 'exportEditor', title: this.title(), lang: vscode.env.language });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.handle(m)),
      this.panel.onDidDispose(() => this.closed()),
    );
  }

  private title(): string {
    return this.mode === 'create' ? vscode.l10n.t('New Export of {0}', this.jobName) : vscode.l10n.t('Export {0} of {1}', this.name, this.jobName);
  }

  private target(): Target {
    return { jobName: this.jobName, name: this.mode === 'edit' ? this.name : undefined, type: this.type, columns: this.columns };
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
    const restore = this.restore;
    this.restore = undefined;
    return {
      type: 'init',
      mode: this.mode,
      jobName: this.jobName,
      draft,
      columns,
      strings: translateAll(EXPORT_EDITOR_STRINGS),
      ...(restore ? { restored: restore.draft, ...(restore.errors ? { errors: restore.errors } : {}) } : {}),
    };
  }

  async handle(raw: unknown): Promise<ExportEditorHostMessage | undefined> {
    const message = parseExportEditorMessage(raw);
    if (!message) {
      this.deps.logger.warn(`pandora export editor: refused a page message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      const requestId = typeof raw === 'object' && raw !== null ? (raw as { requestId?: unknown }).requestId : undefined;
      if (typeof requestId === 'number') return this.post({ type: 'response', requestId, ok: false, errors: REFUSED() });
      return undefined;
    }
    switch (message.type) {
      case 'ready':
        try {
          this.lastInit = await this.init();
          return this.post(this.lastInit);
        } catch (err) {
          this.deps.logger.error(`pandora export editor: ${String(err)}`);
          return this.post({ type: 'response', requestId: 0, ok: false, errors: errorsOf(err) });
        }
      case 'draft':
        this.draft.set(message.draft ?? undefined);
        return undefined;
      case 'cancel':
        this.panel.dispose();
        return undefined;
      case 'save': {
        const errors = await saveExport(this.deps, this.target(), message.payload);
        if (errors) return this.post({ type: 'response', requestId: message.requestId, ok: false, errors });
        if (this.mode === 'create') {
          ExportEditorPanel.panels.delete(ExportEditorPanel.key(this.jobName));
          this.mode = 'edit';
          this.name = message.payload.name;
          this.type = message.payload.body.type;
          ExportEditorPanel.panels.set(ExportEditorPanel.key(this.jobName, this.name), this);
          this.draft.retitle();
        }
        return this.post({ type: 'response', requestId: message.requestId, ok: true, result: { message: vscode.l10n.t('Saved export {0}.', this.name), mode: 'edit' } });
      }
    }
  }

  /** The panel was closed: with unsaved edits, ask (the close cannot be stopped, so Cancel opens it again with them). */
  private closed(): void {
    const draft = this.draft.current;
    const title = this.title();
    const target = this.target();
    this.dispose();
    if (!draft) return;
    const deps = this.deps;
    void settleClosedDraft({
      prompts: deps.prompts,
      title,
      draft,
      save: async (d) => {
        const errors = await saveExport(deps, target, d);
        if (!errors) void vscode.window.showInformationMessage(vscode.l10n.t('Saved export {0}.', d.name));
        return errors;
      },
      reopen: (d, errors) => void ExportEditorPanel.show(deps, target.jobName, target.name, { draft: d, ...(errors ? { errors } : {}) }),
    });
  }

  dispose(): void {
    for (const [key, panel] of ExportEditorPanel.panels) if (panel === this) ExportEditorPanel.panels.delete(key);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}
