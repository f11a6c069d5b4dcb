// Edit Load Task…: its files (ticked as they are) or its interval.
import * as vscode from 'vscode';
import { intervalLabel } from '../../providers/connectorsPresentation';
import type { IngestCommandDeps } from './deps';
import { askInterval, pickFiles, taskOf, type LoadMode } from './pickers';

export async function editLoadTask(deps: IngestCommandDeps, node?: unknown): Promise<boolean> {
  const { client, prompts } = deps;
  const title = vscode.l10n.t('Edit Load Task');
  const task = await taskOf(deps, node, title);
  if (!task) return false;
  const current = task.source_config.common_file_task_config;
  const what = await prompts.pick(
    [
      { label: vscode.l10n.t('Files…'), description: vscode.l10n.t('{0} uri(s)', current.uris.length), key: 'uris' as const },
      { label: vscode.l10n.t('Interval…'), description: intervalLabel(current.load_mode_config.load_interval_type, current.load_mode_config.interval), key: 'interval' as const },
    ],
    { title, placeHolder: vscode.l10n.t('What to change') },
  );
  if (!what) return false;
  let uris: string[] | undefined;
  let mode: LoadMode | undefined;
  if (what.key === 'uris') {
    const connector = (await client.listConnectors()).connectors.find((c) => c.id === task.source_connector_id);
    if (!connector) throw new Error(vscode.l10n.t('The connector {0} of this task no longer exists.', task.source_connector_id));
    uris = await pickFiles(client, prompts, connector, title, current.uris);
    if (!uris || uris.length === 0) return false;
  } else {
    mode = await askInterval(prompts, title, { type: current.load_mode_config.load_interval_type, interval: current.load_mode_config.interval ?? 0 });
    if (!mode) return false;
  }
  await client.updateTask(task.id, { uris, intervalType: mode?.intervalType, interval: mode?.interval });
  deps.loadTasksTree.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Load task {0} updated.', task.volume_name || task.id));
  return true;
}
