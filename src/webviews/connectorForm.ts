// Host side of the connector form webview: opens the panel, answers the page's validate/save requests (the base panel
// refuses malformed messages), keeps unsaved edits (● in the title, "Save changes?" on close, restored after a window reload; never the secret).
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import type { IngestClient } from '../api/ingest/client';
import type { Connector } from '../api/ingest/types';
import { connectorInputErrors, type FieldProblem } from '../api/ingest/validation';
import { describeError } from '../platform/commands';
import {
  connectorPageSchema,
  formValuesOf,
  parseConnectorFormState,
  toConnectorInput,
  type ConnectorFormValues,
  type FormResult,
  type FormStrings,
  type HostMessage,
  type InitMessage,
  type PageMessage,
} from './connectorFormProtocol';
import { Panel, type BaseHostMessage, type ClosedPanel, type PageDefinition, type PanelServices } from './panel';
import type { PanelRegistry } from './registry';

export const CONNECTOR_FORM_VIEW_TYPE = 'datahub.connectorForm';

export interface ConnectorFormDeps extends PanelServices {
  /** The open forms (created by the connectors area). */
  forms: PanelRegistry<ConnectorFormPanel>;
  client: IngestClient;
  /** Called after a successful save (refreshes the Connectors view). */
  onSaved: () => void;
}

/** A panel VS Code kept over a window reload (and the state its page saved), or the edits of a form closed with Cancel. */
export interface ConnectorFormRestore {
  panel?: vscode.WebviewPanel;
  draft?: ConnectorFormValues;
  errors?: Record<string, string>;
}

function strings(mode: 'create' | 'edit', name: string): FormStrings {
  const problems: Record<FieldProblem, string> = {
    required: vscode.l10n.t('Required.'),
    tooLong: vscode.l10n.t('Too long.'),
    badEndpoint: vscode.l10n.t('Enter a host name or an http(s) URL, e.g. oss-cn-hangzhou.aliyuncs.com.'),
    badBucket: vscode.l10n.t('3–63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit.'),
    badSourceType: vscode.l10n.t('Choose OSS or S3.'),
    badId: vscode.l10n.t('Must be a number.'),
    whitespace: vscode.l10n.t('Must not contain spaces.'),
  };
  return {
    title: mode === 'create' ? vscode.l10n.t('Add Connector') : vscode.l10n.t('Edit Connector: {0}', name),
    name: vscode.l10n.t('Name'),
    sourceType: vscode.l10n.t('Source type'),
    endpoint: vscode.l10n.t('Endpoint'),
    accessKeyId: vscode.l10n.t('Access key ID'),
    accessKeySecret: vscode.l10n.t('Access key secret'),
    secretKeepHint: vscode.l10n.t('Leave empty to keep the stored secret.'),
    bucketName: vscode.l10n.t('Bucket'),
    region: vscode.l10n.t('Region'),
    pathStyle: vscode.l10n.t('Path-style addressing (otherwise virtual-hosted)'),
    validate: vscode.l10n.t('Validate'),
    save: vscode.l10n.t('Save'),
    cancel: vscode.l10n.t('Cancel'),
    working: vscode.l10n.t('Working…'),
    couldNotSave: vscode.l10n.t('Could not save: {0}'),
    problems,
  };
}

/** Field errors of `values` by the rules the page checks too; undefined when there are none. */
function fieldErrors(values: ConnectorFormValues, mode: 'create' | 'edit', texts: FormStrings): Record<string, string> | undefined {
  const problems = connectorInputErrors(toConnectorInput(values), mode === 'create');
  if (!problems.length) return undefined;
  return Object.fromEntries(problems.map((p) => [p.field, texts.problems[p.problem]]));
}

/** Creates or updates the connector; undefined when saved, else the field errors. */
async function saveConnector(deps: ConnectorFormDeps, connector: Connector | undefined, values: ConnectorFormValues, texts: FormStrings): Promise<Record<string, string> | undefined> {
  const errors = fieldErrors(values, connector ? 'edit' : 'create', texts);
  if (errors) return errors;
  const input = toConnectorInput(values);
  try {
    if (connector) await deps.client.updateConnector(connector.id, input);
    else await deps.client.createConnector(input);
  } catch (err) {
    if (err instanceof ValidationError) return { [err.field]: err.message };
    deps.logger.error(`connector form: save failed: ${describeError(err)}`);
    return { _form: describeError(err) };
  }
  deps.logger.info(`connector form: ${connector ? 'updated' : 'created'} connector ${input.name}`);
  deps.onSaved();
  void vscode.window.showInformationMessage(connector ? vscode.l10n.t('Connector "{0}" updated.', input.name) : vscode.l10n.t('Connector "{0}" created.', input.name));
  return undefined;
}

const CONNECTOR_FORM: PageDefinition<PageMessage> = { viewType: CONNECTOR_FORM_VIEW_TYPE, script: 'connectorForm', logName: 'connector form', schema: connectorPageSchema };

/** The registry key of the form of `connector` (undefined: the form that adds one). */
const keyOf = (connector: Connector | undefined): string => (connector ? `edit:${connector.id}` : 'create');

/** A form VS Code kept over a window reload: reopened on its connector with the unsaved edits its page kept. */
export async function reviveConnectorForm(deps: ConnectorFormDeps, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
  const saved = parseConnectorFormState(state);
  let connector: Connector | undefined;
  try {
    if (saved?.connector !== null && saved?.connector !== undefined) {
      const id = saved.connector;
      connector = (await deps.client.listConnectors()).connectors.find((c) => c.id === id);
    }
  } catch (err) {
    deps.logger.warn(`connector form: could not read the connector of a form kept over a reload: ${describeError(err)}`);
  }
  if (!saved || (saved.connector !== null && !connector) || deps.forms.has(keyOf(connector))) {
    deps.logger.warn('connector form: a form kept over a reload had nothing to restore; it was closed');
    panel.dispose();
    return;
  }
  openConnectorForm(deps, connector, { panel, ...(saved.draft ? { draft: saved.draft } : {}) });
}

/** Opens (or reveals) the form to add a connector, or to edit `connector`. */
export function openConnectorForm(deps: ConnectorFormDeps, connector?: Connector, restore: ConnectorFormRestore = {}): ConnectorFormPanel {
  const existing = deps.forms.get(keyOf(connector));
  if (existing) {
    existing.reveal();
    return existing;
  }
  return new ConnectorFormPanel(deps, connector, restore);
}

/** The form of one connector (or of a new one). */
export class ConnectorFormPanel extends Panel<HostMessage, PageMessage, ConnectorFormValues> {
  private readonly mode: 'create' | 'edit';
  private readonly texts: FormStrings;
  /** The restored edits go to the page's first init only; a later reload of the page sends its own. */
  private restored: Pick<InitMessage, 'restored' | 'errors'>;
  private busy = false;
  /** The settings (as sent) that the backend last found not valid: saving them unchanged asks first. */
  private failedValidation: string | undefined;

  constructor(private readonly deps: ConnectorFormDeps, private readonly connector: Connector | undefined, restore: ConnectorFormRestore) {
    const mode = connector ? 'edit' : 'create';
    const texts = strings(mode, connector?.name ?? '');
    super(CONNECTOR_FORM, deps, deps.forms, keyOf(connector), texts.title, restore.panel, restore.draft);
    this.mode = mode;
    this.texts = texts;
    this.restored = restore.draft ? { restored: restore.draft, ...(restore.errors ? { errors: restore.errors } : {}) } : {};
  }

  protected title(): string {
    return this.texts.title;
  }

  protected closedPanel(): ClosedPanel<ConnectorFormValues> {
    const { deps, connector, texts } = this;
    return {
      save: (values) => saveConnector(deps, connector, values, texts),
      // The secret stays here in memory for Save; a reopened form never gets it back.
      reopen: (values, errors) => void openConnectorForm(deps, connector, { draft: { ...values, accessKeySecret: '' }, ...(errors ? { errors } : {}) }),
    };
  }

  protected async receive(message: PageMessage): Promise<HostMessage | BaseHostMessage | undefined> {
    switch (message.type) {
      case 'ready':
        return this.sendInit(async () => {
          const init: InitMessage = { type: 'init', mode: this.mode, connector: this.connector?.id ?? null, values: formValuesOf(this.connector), strings: this.texts, ...this.restored };
          this.restored = {};
          return init;
        });
      case 'validate':
      case 'save':
        return this.request(message);
    }
  }

  private async request(message: Extract<PageMessage, { type: 'validate' | 'save' }>): Promise<HostMessage> {
    const { deps, connector, texts } = this;
    const respond = (ok: boolean, result?: FormResult, errors?: Record<string, string>): Promise<HostMessage> =>
      this.post({ type: 'response', requestId: message.requestId, ok, ...(result ? { result } : {}), ...(errors ? { errors } : {}) });
    const errors = fieldErrors(message.payload, this.mode, texts);
    if (errors) return respond(false, undefined, errors);
    if (this.busy) return respond(false, undefined, { _form: vscode.l10n.t('Still working on the previous request.') });
    this.busy = true;
    const input = toConnectorInput(message.payload);
    try {
      if (message.type === 'validate') {
        const valid = await deps.client.validateConnector({ input, connectorId: connector?.id });
        deps.logger.info(`connector form: validate ${input.name} → ${valid ? 'valid' : 'not valid'}`);
        this.failedValidation = valid ? undefined : JSON.stringify(input);
        return await respond(true, {
          valid,
          message: valid ? vscode.l10n.t('Valid: the backend can reach this bucket.') : vscode.l10n.t('Not valid: the backend cannot reach this bucket with these settings.'),
        });
      }
      if (this.failedValidation === JSON.stringify(input)) {
        const save = vscode.l10n.t('Save Anyway');
        const answer = await deps.prompts.confirm(vscode.l10n.t('Save connector "{0}" although it failed validation?', input.name), vscode.l10n.t('The backend could not reach the bucket with these settings; load tasks using it will fail.'), save);
        if (answer !== save) return await respond(false, undefined, { _form: vscode.l10n.t('Not saved: the settings failed validation.') });
      }
      const failed = await saveConnector(deps, connector, message.payload, texts);
      if (failed) return await respond(false, undefined, failed);
      const response = await respond(true, { saved: true, message: vscode.l10n.t('Saved.') });
      // Saved: nothing is left to ask about when the form closes.
      this.setDraft(null);
      this.panel.dispose();
      return response;
    } catch (err) {
      if (err instanceof ValidationError) return respond(false, undefined, { [err.field]: err.message });
      deps.logger.error(`connector form: ${message.type} failed: ${describeError(err)}`);
      return respond(false, undefined, { _form: describeError(err) });
    } finally {
      this.busy = false;
    }
  }
}
