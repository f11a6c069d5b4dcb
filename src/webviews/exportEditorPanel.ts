// The export spec editor panel (host side): loads the job's output schema and the export, validates every
// page message, saves (POST for a new export, read + PUT of the spec for an existing one), keeps unsaved edits
// (● in the title, "Save changes?" on close, restored after a window reload through the panel serializer).
import * as vscode from 'vscode';
import type { ExportBody } from '../api/pandora/types';
import { validateExport, validateExportSpec, type Issue } from '../api/pandora/validation';
import {
  EXPORT_EDITOR_STRINGS,
  exportEditorPageSchema,
  parseExportEditorState,
  type ExportDraft,
  type ExportDraftBody,
  type ExportEditorHostMessage,
  type ExportEditorInit,
  type ExportEditorPageMessage,
} from './exportEditorProtocol';
import { errorsOf, fieldErrors, translateAll, type PandoraPanelDeps } from './jobEditorPanelSupport';
import { Panel, type BaseHostMessage, type ClosedPanel, type PageDefinition } from './panel';

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

/** The body as the form had it is an ExportBody when the export rules found nothing wrong with it. */
function isExportBody(_body: ExportDraftBody, issues: readonly Issue[]): _body is ExportBody {
  return issues.length === 0;
}

/** Checks and saves `draft`; undefined when it was saved, else the field errors. */
async function saveExport(deps: PandoraPanelDeps, target: Target, draft: ExportDraft): Promise<Record<string, string> | undefined> {
  const { name, body } = draft;
  if (target.name !== undefined && body.type !== target.type) return { type: vscode.l10n.t('The type of an existing export cannot change.') };
  const issues = target.name === undefined ? validateExport(name, body, target.columns) : validateExportSpec(body.type, body.spec, target.columns);
  if (!isExportBody(body, issues)) return fieldErrors(issues);
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

const EXPORT_EDITOR: PageDefinition<ExportEditorPageMessage> = { viewType: EXPORT_EDITOR_VIEW_TYPE, script: 'exportEditor', logName: 'pandora export editor', schema: exportEditorPageSchema };

/** The registry key: names are data (an export named "new", a job name with a slash) and never collide. */
const keyOf = (jobName: string, exportName?: string): string => JSON.stringify([jobName, exportName ?? null]);

const titleOf = (jobName: string, exportName: string | undefined): string =>
  exportName === undefined ? vscode.l10n.t('New Export of {0}', jobName) : vscode.l10n.t('Export {0} of {1}', exportName, jobName);

export class ExportEditorPanel extends Panel<ExportEditorHostMessage, ExportEditorPageMessage, ExportDraft> {
  private mode: 'create' | 'edit';
  private name: string;
  private columns: string[] = [];
  /** The type of the export being edited (it cannot change). */
  private type: ExportBody['type'] | undefined;

  static show(deps: PandoraPanelDeps, jobName: string, exportName?: string, restore?: Restore): ExportEditorPanel {
    const existing = deps.exportEditors.get(keyOf(jobName, exportName));
    if (existing) {
      existing.reveal();
      return existing;
    }
    return new ExportEditorPanel(deps, jobName, exportName, undefined, restore);
  }

  /** A panel VS Code kept over a window reload, with the state its page saved (the export and any unsaved edits). */
  static revive(deps: PandoraPanelDeps, panel: vscode.WebviewPanel, state: unknown): void {
    const saved = parseExportEditorState(state);
    if (!saved || deps.exportEditors.has(keyOf(saved.job, saved.export ?? undefined))) {
      deps.logger.warn('pandora export editor: a panel kept over a reload had no state to restore; it was closed');
      panel.dispose();
      return;
    }
    new ExportEditorPanel(deps, saved.job, saved.export ?? undefined, panel, saved.draft ? { draft: saved.draft } : undefined);
  }

  /** The open editor of `exportName` of `jobName` (undefined: a new export's). */
  static find(deps: Pick<PandoraPanelDeps, 'exportEditors'>, jobName: string, exportName?: string): ExportEditorPanel | undefined {
    return deps.exportEditors.get(keyOf(jobName, exportName));
  }

  private constructor(
    private readonly deps: PandoraPanelDeps,
    private readonly jobName: string,
    exportName: string | undefined,
    revived: vscode.WebviewPanel | undefined,
    private restore: Restore | undefined,
  ) {
    super(EXPORT_EDITOR, deps, deps.exportEditors, keyOf(jobName, exportName), titleOf(jobName, exportName), revived, restore?.draft);
    this.mode = exportName ? 'edit' : 'create';
    this.name = exportName ?? '';
  }

  protected title(): string {
    return titleOf(this.jobName, this.mode === 'edit' ? this.name : undefined);
  }

  private target(): Target {
    return { jobName: this.jobName, name: this.mode === 'edit' ? this.name : undefined, type: this.type, columns: this.columns };
  }

  private async init(): Promise<ExportEditorInit> {
    const job = await this.deps.client.getJob(this.jobName);
    const columns = job.schema ?? [];
    this.columns = columns.map((c) => c.key);
    let draft: ExportDraft = { name: '', body: NEW_EXPORT };
    if (this.mode === 'edit') {
      const { name, ...body } = await this.deps.client.getExport(this.jobName, this.name);
      draft = { name, body };
      this.type = draft.body.type;
    }
    // The unsaved edits the panel opened with go to the page's first init only (a later reload of the page has its own).
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

  protected async receive(message: ExportEditorPageMessage): Promise<ExportEditorHostMessage | BaseHostMessage | undefined> {
    switch (message.type) {
      case 'ready':
        return this.sendInit(() => this.init());
      case 'save': {
        const errors = await saveExport(this.deps, this.target(), message.payload);
        if (errors) return this.post({ type: 'response', requestId: message.requestId, ok: false, errors });
        if (this.mode === 'create' && !this.isDisposed) {
          this.mode = 'edit';
          this.name = message.payload.name;
          this.type = message.payload.body.type;
          this.rekey(keyOf(this.jobName, this.name));
        }
        return this.post({ type: 'response', requestId: message.requestId, ok: true, result: { message: vscode.l10n.t('Saved export {0}.', this.name), mode: 'edit' } });
      }
    }
  }

  protected closedPanel(): ClosedPanel<ExportDraft> {
    const deps = this.deps;
    const target = this.target();
    return {
      save: async (d) => {
        const errors = await saveExport(deps, target, d);
        if (!errors) void vscode.window.showInformationMessage(vscode.l10n.t('Saved export {0}.', d.name));
        return errors;
      },
      reopen: (d, errors) => void ExportEditorPanel.show(deps, target.jobName, target.name, { draft: d, ...(errors ? { errors } : {}) }),
    };
  }
}
