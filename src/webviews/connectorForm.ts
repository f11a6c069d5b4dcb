// Host side of the connector form webview: opens the panel, answers the page's validate/save requests, refuses malformed messages.
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import type { IngestClient } from '../api/ingest/client';
import type { Connector } from '../api/ingest/types';
import { connectorInputErrors, type FieldProblem } from '../api/ingest/validation';
import type { Logger } from '../api/logger';
import { describeError } from '../platform/commands';
import {
  formValuesOf,
  parsePageMessage,
  toConnectorInput,
  type ConnectorFormValues,
  type FormResult,
  type FormStrings,
  type HostMessage,
} from './connectorFormProtocol';
import { renderWebviewPage, webviewOptions } from './html';

export const CONNECTOR_FORM_VIEW_TYPE = 'datahub.connectorForm';

export interface ConnectorFormDeps {
  extensionUri: vscode.Uri;
  client: IngestClient;
  logger: Logger;
  /** Called after a successful save (refreshes the Connectors view). */
  onSaved: () => void;
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
    problems,
  };
}

const open = new Map<string, vscode.WebviewPanel>();

/** Opens (or reveals) the form to add a connector, or to edit `connector`. */
export function openConnectorForm(deps: ConnectorFormDeps, connector?: Connector): vscode.WebviewPanel {
  const key = connector ? `edit:${connector.id}` : 'create';
  const existing = open.get(key);
  if (existing) {
    existing.reveal();
    return existing;
  }
  const mode = connector ? 'edit' : 'create';
  const texts = strings(mode, connector?.name ?? '');
  const panel = vscode.window.createWebviewPanel(CONNECTOR_FORM_VIEW_TYPE, texts.title, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
  open.set(key, panel);
  panel.webview.html = renderWebviewPage({ webview: panel.webview, extensionUri: deps.extensionUri, script: 'connectorForm', title: texts.title, lang: vscode.env.language });
  const post = (message: HostMessage): void => void panel.webview.postMessage(message);
  let busy = false;

  const fieldErrors = (values: ConnectorFormValues): Record<string, string> | undefined => {
    const problems = connectorInputErrors(toConnectorInput(values), mode === 'create');
    if (!problems.length) return undefined;
    return Object.fromEntries(problems.map((p) => [p.field, texts.problems[p.problem]]));
  };

  const handle = async (raw: unknown): Promise<void> => {
    const message = parsePageMessage(raw);
    if (!message) {
      // Never log the content: it may hold the secret.
      deps.logger.warn('connector form: refused a message of unknown type or shape');
      return;
    }
    if (message.type === 'ready') {
      post({ type: 'init', mode, values: formValuesOf(connector), strings: texts });
      return;
    }
    if (message.type === 'cancel') {
      panel.dispose();
      return;
    }
    const respond = (ok: boolean, result?: FormResult, errors?: Record<string, string>): void =>
      post({ type: 'response', requestId: message.requestId, ok, result, errors });
    const errors = fieldErrors(message.payload);
    if (errors) return respond(false, undefined, errors);
    if (busy) return respond(false, undefined, { _form: vscode.l10n.t('Still working on the previous request.') });
    busy = true;
    const input = toConnectorInput(message.payload);
    try {
      if (message.type === 'validate') {
        const valid = await deps.client.validateConnector({ input, connectorId: connector?.id });
        deps.logger.info(`connector form: validate ${input.name} → ${valid ? 'valid' : 'not valid'}`);
        respond(true, {
          valid,
          message: valid ? vscode.l10n.t('Valid: the backend can reach this bucket.') : vscode.l10n.t('Not valid: the backend cannot reach this bucket with these settings.'),
        });
      } else {
        if (connector) await deps.client.updateConnector(connector.id, input);
        else await deps.client.createConnector(input);
        deps.logger.info(`connector form: ${connector ? 'updated' : 'created'} connector ${input.name}`);
        respond(true, { saved: true, message: vscode.l10n.t('Saved.') });
        deps.onSaved();
        void vscode.window.showInformationMessage(connector ? vscode.l10n.t('Connector "{0}" updated.', input.name) : vscode.l10n.t('Connector "{0}" created.', input.name));
        panel.dispose();
      }
    } catch (err) {
      if (err instanceof ValidationError) respond(false, undefined, { [err.field]: err.message });
      else {
        deps.logger.error(`connector form: ${message.type} failed: ${describeError(err)}`);
        respond(false, undefined, { _form: describeError(err) });
      }
    } finally {
      busy = false;
    }
  };

  const subscription = panel.webview.onDidReceiveMessage((raw: unknown) => void handle(raw));
  panel.onDidDispose(() => {
    subscription.dispose();
    open.delete(key);
  });
  return panel;
}
