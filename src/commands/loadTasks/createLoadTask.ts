// Create Load Task: from the palette (connector → files) or from files selected in the Connectors view; then volume and interval.
import * as vscode from 'vscode';
import { ValidationError } from '../../api/errors';
import { isDecimalId } from '../../api/ingest/validation';
import { isConnectorNode, isSourceFileNode } from '../../providers/connectorsTree';
import type { IngestCommandDeps } from './deps';
import { askInterval, pickConnector, pickFiles } from './pickers';

const LAST_VOLUME_KEY = 'datahub.ingest.lastVolumeId';
const RECENT_VOLUMES_KEY = 'datahub.ingest.recentVolumeIds';
const RECENT_VOLUMES = 8;

/** The volume ids offered: those used here lately (newest first), then those of the listed tasks, each with its name when known. */
export function volumeSuggestions(recent: readonly string[], tasks: readonly { volume_id: string; volume_name: string }[]): { label: string; description?: string }[] {
  const names = new Map(tasks.map((t) => [t.volume_id, t.volume_name]));
  const ids = [...new Set([...recent, ...tasks.map((t) => t.volume_id)])].filter((id) => isDecimalId(id));
  return ids.map((id) => ({ label: id, description: [names.get(id), recent.includes(id) ? vscode.l10n.t('recently used') : undefined].filter(Boolean).join(' · ') || undefined }));
}

/** Asks the volume (recent ones offered, any id typed) and the interval, and creates the task; true when created. */
async function createTask(deps: IngestCommandDeps, connectorId: number, uris: string[]): Promise<boolean> {
  const title = vscode.l10n.t('Create Load Task');
  const last = deps.state.get<string>(LAST_VOLUME_KEY);
  const recent = deps.state.get<string[]>(RECENT_VOLUMES_KEY) ?? (last ? [last] : []);
  const problem = vscode.l10n.t('A volume id is a number such as 1889223879880048640');
  const volume = await deps.prompts.pickOrType({
    title: vscode.l10n.t('{0} — raw volume for {1}', title, uris.length === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', uris.length)),
    placeholder: vscode.l10n.t('Pick a recent volume or type its ID'),
    suggestions: volumeSuggestions(recent, deps.loadTasksTree.loadedTasks),
    describeTyped: (v) => (isDecimalId(v.trim()) ? vscode.l10n.t('volume ID') : problem),
    check: (v) => (isDecimalId(v.trim()) ? { value: v.trim() } : { problem }),
    refused: (why) => why,
  });
  if (volume === undefined) return false;
  const volumeId = volume.trim();
  const mode = await askInterval(deps.prompts, title);
  if (!mode) return false;
  await deps.client.createTask({ connectorId, volumeId, uris, intervalType: mode.intervalType, interval: mode.interval });
  // Only an id that made a task is remembered.
  await deps.state.update(LAST_VOLUME_KEY, volumeId);
  await deps.state.update(RECENT_VOLUMES_KEY, [volumeId, ...recent.filter((id) => id !== volumeId)].slice(0, RECENT_VOLUMES));
  deps.loadTasksTree.refresh();
  deps.connectorsTree.refresh();
  void vscode.window.showInformationMessage(uris.length === 1 ? vscode.l10n.t('Load task created: 1 file into volume {0}.', volumeId) : vscode.l10n.t('Load task created: {0} files into volume {1}.', uris.length, volumeId));
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
