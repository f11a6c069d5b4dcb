// Create Load Task: from the palette (connector → files) or from files selected in the Connectors view; then volume and interval.
import * as vscode from 'vscode';
import { ValidationError } from '../../api/errors';
import { isDecimalId } from '../../api/ingest/validation';
import { isConnectorNode, isSourceFileNode } from '../../providers/connectorsTree';
import type { IngestCommandDeps } from './deps';
import { askInterval, pickConnector, pickFiles } from './pickers';

const LAST_VOLUME_KEY = 'datahub.ingest.lastVolumeId';

/** Asks the volume and the interval, and creates the task; true when created. */
async function createTask(deps: IngestCommandDeps, connectorId: number, uris: string[]): Promise<boolean> {
  const title = vscode.l10n.t('Create Load Task');
  const volume = await deps.prompts.input({
    title,
    prompt: vscode.l10n.t('ID of the raw volume to load {0} file(s) into', uris.length),
    value: deps.state.get<string>(LAST_VOLUME_KEY) ?? '',
    placeHolder: '1889223879880048640',
    ignoreFocusOut: true,
    validateInput: (v) => (isDecimalId(v.trim()) ? undefined : vscode.l10n.t('A volume id is a number such as 1889223879880048640')),
  });
  if (volume === undefined) return false;
  const volumeId = volume.trim();
  const mode = await askInterval(deps.prompts, title);
  if (!mode) return false;
  await deps.client.createTask({ connectorId, volumeId, uris, intervalType: mode.intervalType, interval: mode.interval });
  await deps.state.update(LAST_VOLUME_KEY, volumeId);
  deps.loadTasksTree.refresh();
  deps.connectorsTree.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Load task created: {0} file(s) into volume {1}.', uris.length, volumeId));
  return true;
}

/** `datahub.loadTasks.create` (palette) and `datahub.connectors.createLoadTask` (tree: clicked node, selected nodes). */
export async function createLoadTask(deps: IngestCommandDeps, node?: unknown, nodes?: unknown): Promise<boolean> {
  const title = vscode.l10n.t('Create Load Task');
  const selection = (Array.isArray(nodes) && nodes.length ? nodes : [node]).filter(isSourceFileNode);
  if (selection.length > 0) {
    const connectorIds = new Set(selection.map((n) => n.connectorId));
    if (connectorIds.size > 1) throw new ValidationError('uris', vscode.l10n.t('the selected files belong to different connectors; choose files of one connector'));
    const [connectorId] = connectorIds;
    return createTask(deps, connectorId, selection.map((n) => n.uri));
  }
  const connector = isConnectorNode(node) ? node.connector : await pickConnector(deps.client, deps.prompts, title);
  if (!connector) return false;
  const uris = await pickFiles(deps.client, deps.prompts, connector, title);
  if (!uris || uris.length === 0) return false;
  return createTask(deps, connector.id, uris);
}
