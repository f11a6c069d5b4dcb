// The questions the load task commands share: a connector, a task, a connector's files, how often to load.
import * as vscode from 'vscode';
import type { IngestClient } from '../../api/ingest/client';
import { IntervalType, type Connector, type LoadTask } from '../../api/ingest/types';
import type { Prompts } from '../../platform/prompts';
import { intervalLabel, sourceTypeLabel, taskStatusLabel } from '../../providers/connectorsPresentation';
import { isTaskFileNode, isTaskNode } from '../../providers/loadTasksTree';

export interface LoadMode {
  intervalType: number;
  interval: number;
}

export async function pickConnector(client: IngestClient, prompts: Prompts, title: string): Promise<Connector | undefined> {
  const { connectors } = await client.listConnectors();
  if (connectors.length === 0) throw new Error(vscode.l10n.t('There is no connector yet. Add one first.'));
  const picked = await prompts.pick(
    connectors.map((c) => ({ label: c.name, description: `${sourceTypeLabel(c.sourceType)} · ${c.bucketName}`, detail: `ID ${c.id}`, connector: c })),
    { title, placeHolder: vscode.l10n.t('Choose a connector') },
  );
  return picked?.connector;
}

async function pickTask(client: IngestClient, prompts: Prompts, title: string, statuses?: number[]): Promise<LoadTask | undefined> {
  const tasks = await client.listAllTasks({ status: statuses, orderBy: 'created_at', isDesc: true }, 200);
  if (tasks.length === 0) throw new Error(vscode.l10n.t('There is no load task to choose from.'));
  const picked = await prompts.pick(
    tasks.map((t) => {
      const mode = t.source_config.common_file_task_config.load_mode_config;
      return { label: t.volume_name || t.id, description: `${taskStatusLabel(t.status)} · ${intervalLabel(mode.load_interval_type, mode.interval)}`, detail: t.id, task: t };
    }),
    { title, placeHolder: vscode.l10n.t('Choose a load task') },
  );
  return picked?.task;
}

/** The task a command acts on: the tree node's, or one picked from the list. */
export async function taskOf(deps: { client: IngestClient; prompts: Prompts }, node: unknown, title: string, statuses?: number[]): Promise<LoadTask | undefined> {
  if (isTaskNode(node)) return node.task;
  if (isTaskFileNode(node)) return deps.client.getTask(node.taskId);
  return pickTask(deps.client, deps.prompts, title, statuses);
}

/** Multi-select of a connector's files (directories included), `preselected` ticked. */
export async function pickFiles(client: IngestClient, prompts: Prompts, connector: Connector, title: string, preselected: readonly string[] = []): Promise<string[] | undefined> {
  const files = await client.listConnectorFiles(connector.id);
  const items = files.map((f) => ({
    label: f.uri,
    description: f.type === 10 ? vscode.l10n.t('directory') : undefined,
    picked: preselected.includes(f.uri),
    uri: f.uri,
  }));
  for (const uri of preselected) if (!files.some((f) => f.uri === uri)) items.push({ label: uri, description: vscode.l10n.t('not in the bucket'), picked: true, uri });
  const picked = await prompts.pickMany(items, { title, placeHolder: vscode.l10n.t('Choose the files to load') });
  return picked?.map((p) => p.uri);
}

export async function askInterval(prompts: Prompts, title: string, current?: { type: number; interval: number }): Promise<LoadMode | undefined> {
  const options = [
    { label: vscode.l10n.t('Once'), type: IntervalType.Once },
    { label: vscode.l10n.t('Daily'), type: IntervalType.Daily },
    { label: vscode.l10n.t('Hourly'), type: IntervalType.Hourly },
    { label: vscode.l10n.t('Every minute'), type: IntervalType.Minutely },
  ].map((o) => ({ ...o, description: current?.type === o.type ? vscode.l10n.t('current') : undefined }));
  const picked = await prompts.pick(options, { title, placeHolder: vscode.l10n.t('How often to load') });
  if (!picked) return undefined;
  if (picked.type === IntervalType.Once) return { intervalType: IntervalType.Once, interval: 0 };
  const unit = picked.type === IntervalType.Daily ? vscode.l10n.t('days') : picked.type === IntervalType.Hourly ? vscode.l10n.t('hours') : vscode.l10n.t('minutes');
  const text = await prompts.input({
    title,
    prompt: vscode.l10n.t('How many {0} between runs', unit),
    value: String(current && current.type === picked.type ? current.interval : 1),
    validateInput: (v) => (/^[1-9]\d{0,3}$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter a whole number from 1 to 9999')),
  });
  if (text === undefined) return undefined;
  return { intervalType: picked.type, interval: Number(text.trim()) };
}
