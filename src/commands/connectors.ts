// Connector commands: add, edit (the form), validate, copy id, refresh, filter by file type, create a load task from selected files.
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import type { Connector } from '../api/ingest/types';
import { FILTERABLE_FILE_TYPES, fileTypeLabel } from '../providers/connectorsPresentation';
import { isConnectorNode, isSourceFileNode } from '../providers/connectorsTree';
import { createLoadTaskFlow, parseAnswers, pickConnector, pickFiles, type LoadTaskCommandDeps } from './loadTasks';

export interface ConnectorCommandDeps extends LoadTaskCommandDeps {
  /** Opens the connector form: empty to add, filled (secret excepted) to edit. */
  openForm: (connector?: Connector) => void;
}

export function registerConnectorCommands(deps: ConnectorCommandDeps): void {
  const { commands, client, connectorsTree } = deps;

  const connectorOf = async (node: unknown, title: string): Promise<Connector | undefined> => {
    if (isConnectorNode(node)) return node.connector;
    return pickConnector(client, title);
  };

  commands.register('datahub.connectors.add', () => {
    deps.openForm();
  });

  commands.register('datahub.connectors.refresh', () => connectorsTree.refresh());

  commands.register('datahub.connectors.filterFileTypes', async (arg?: unknown) => {
    let types: number[] | undefined;
    if (Array.isArray(arg)) {
      if (arg.some((t) => typeof t !== 'number' || !FILTERABLE_FILE_TYPES.includes(t))) throw new ValidationError('file_types', 'must be a list of file types 0–10');
      types = arg as number[];
    } else {
      const current = connectorsTree.fileTypeFilter;
      const picked = await vscode.window.showQuickPick(
        FILTERABLE_FILE_TYPES.map((t) => ({ label: fileTypeLabel(t), description: String(t), picked: current.includes(t), type: t })),
        { title: vscode.l10n.t('Filter by File Type'), canPickMany: true, placeHolder: vscode.l10n.t('Show only these file types (none = all)') },
      );
      if (!picked) return undefined;
      types = picked.map((p) => p.type);
    }
    connectorsTree.setFileTypeFilter(types);
    deps.updateDescriptions();
    return types;
  });

  commands.register('datahub.connectors.validate', async (node?: unknown) => {
    const connector = await connectorOf(node, vscode.l10n.t('Validate Connector'));
    if (!connector) return undefined;
    const valid = await client.validateConnector({ connectorId: connector.id, sourceType: connector.sourceType });
    if (valid) void vscode.window.showInformationMessage(vscode.l10n.t('Connector "{0}" is valid: the backend can reach its bucket.', connector.name));
    else void vscode.window.showWarningMessage(vscode.l10n.t('Connector "{0}" is not valid: the backend cannot reach its bucket. Edit it to fix the settings.', connector.name));
    return valid;
  });

  commands.register('datahub.connectors.edit', async (node?: unknown) => {
    const connector = await connectorOf(node, vscode.l10n.t('Edit Connector'));
    if (!connector) return false;
    deps.openForm(connector);
    return true;
  });

  commands.register('datahub.connectors.copyId', async (node?: unknown) => {
    const connector = await connectorOf(node, vscode.l10n.t('Copy Connector ID'));
    if (!connector) return undefined;
    await vscode.env.clipboard.writeText(String(connector.id));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied connector ID {0}', connector.id), 3000);
    return String(connector.id);
  });

  /** From the tree: (clicked node, selected nodes); the third argument may carry the answers (volumeId, intervalType, interval). */
  commands.register('datahub.connectors.createLoadTask', async (node?: unknown, nodes?: unknown, arg?: unknown) => {
    const answers = parseAnswers(arg);
    const title = vscode.l10n.t('Create Load Task');
    const selection = (Array.isArray(nodes) && nodes.length ? nodes : [node]).filter(isSourceFileNode);
    if (selection.length > 0) {
      const connectorIds = new Set(selection.map((n) => n.connectorId));
      if (connectorIds.size > 1) throw new ValidationError('uris', vscode.l10n.t('the selected files belong to different connectors; choose files of one connector'));
      const [connectorId] = connectorIds;
      return createLoadTaskFlow(deps, connectorId, selection.map((n) => n.uri), answers);
    }
    const connector = await connectorOf(node, title);
    if (!connector) return false;
    const uris = answers.uris ?? (await pickFiles(client, connector, title));
    if (!uris || uris.length === 0) return false;
    return createLoadTaskFlow(deps, connector.id, uris, answers);
  });
}
