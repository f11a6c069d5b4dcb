// The Pandora view's tree items, one builder per kind of node: label, description, icon, tooltip, context value.
import * as vscode from 'vscode';
import type { HistoryView, PandoraNode } from './pandoraTree';
import { formatDuration, formatTime, runStatusIcon, runStatusLabel, runTooltip, schedulerText } from './pandoraPresentation';

const C = vscode.TreeItemCollapsibleState;

/** The item of `node`; a Run History item describes the filter `historyView` gives for its job. */
export function pandoraTreeItem(node: PandoraNode, historyView: (job: string) => HistoryView): vscode.TreeItem {
  switch (node.kind) {
    case 'group':
      return groupItem(node);
    case 'datasource':
      return datasourceItem(node);
    case 'field':
      return fieldItem(node);
    case 'job':
      return jobItem(node);
    case 'exports':
      return exportsItem(node);
    case 'history':
      return historyItem(node, historyView);
    case 'export':
      return exportItem(node);
    case 'run':
      return runItem(node);
    case 'more':
      return moreItem(node);
    case 'message':
      return messageItem(node);
  }
}

function groupItem(node: Extract<PandoraNode, { kind: 'group' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.group === 'datasources' ? vscode.l10n.t('Datasources') : vscode.l10n.t('Jobs'), C.Expanded);
  item.id = `pandora/${node.group}`;
  item.iconPath = new vscode.ThemeIcon(node.group === 'datasources' ? 'database' : 'server-process');
  item.contextValue = `pandoraGroup:${node.group}`;
  return item;
}

function datasourceItem(node: Extract<PandoraNode, { kind: 'datasource' }>): vscode.TreeItem {
  const ds = node.datasource;
  const item = new vscode.TreeItem(ds.name, C.Collapsed);
  item.id = `pandora/ds/${ds.name}`;
  item.description = `${ds.type} · ${ds.region}`;
  item.iconPath = new vscode.ThemeIcon(ds.type === 'hdfs' ? 'server' : ds.type === 'fusion' ? 'globe' : 'archive');
  item.contextValue = `pandoraDatasource:${ds.type}`;
  const spec: Record<string, unknown> = { ...ds.spec };
  const where = ds.type === 'kodo' ? String(spec.bucket ?? '') : ds.type === 'hdfs' ? ((spec.paths as string[] | undefined) ?? []).join(', ') : ((spec.domains as string[] | undefined) ?? []).join(', ');
  item.tooltip = `${ds.name} — ${ds.type} (${ds.region})\n${where}${spec.fileType ? `\n${vscode.l10n.t('file type: {0}', String(spec.fileType))}` : ''}`;
  return item;
}

function fieldItem(node: Extract<PandoraNode, { kind: 'field' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.field.key, C.None);
  item.id = `pandora/ds/${node.datasource}/field/${node.field.key}`;
  item.description = `${node.field.valtype}${node.field.required ? ` · ${vscode.l10n.t('required')}` : ''}`;
  item.iconPath = new vscode.ThemeIcon('symbol-field');
  item.contextValue = 'pandoraField';
  return item;
}

function jobItem(node: Extract<PandoraNode, { kind: 'job' }>): vscode.TreeItem {
  const { job, last } = node;
  const item = new vscode.TreeItem(job.name, C.Collapsed);
  item.id = `pandora/job/${job.name}`;
  item.description = [last ? runStatusLabel(last.status) : vscode.l10n.t('never run'), schedulerText(job)].join(' · ');
  item.iconPath = last ? runStatusIcon(last.status) : new vscode.ThemeIcon('server-process');
  item.contextValue = `pandoraJob:${last?.status ?? 'none'}:${job.scheduler.type}`;
  item.tooltip = `${job.name}\n${job.srcs.map((s) => `${s.tableName} ← ${s.type} ${s.name}`).join('\n')}\n\n${job.computation.code}`;
  return item;
}

function exportsItem(node: Extract<PandoraNode, { kind: 'exports' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Exports'), C.Collapsed);
  item.id = `pandora/job/${node.job}/exports`;
  item.iconPath = new vscode.ThemeIcon('export');
  item.contextValue = 'pandoraExports';
  return item;
}

function historyItem(node: Extract<PandoraNode, { kind: 'history' }>, historyView: (job: string) => HistoryView): vscode.TreeItem {
  const view = historyView(node.job);
  const item = new vscode.TreeItem(vscode.l10n.t('Run History'), C.Collapsed);
  item.id = `pandora/job/${node.job}/history`;
  item.iconPath = new vscode.ThemeIcon('history');
  const only = [
      view.runId === -1 ? vscode.l10n.t('latest run') : view.runId !== undefined ? vscode.l10n.t('run {0}', view.runId) : undefined,
      view.status ? runStatusLabel(view.status) : undefined,
  ].filter(Boolean);
  item.description = only.length ? vscode.l10n.t('only {0}', only.join(' · ')) : undefined;
  item.contextValue = 'pandoraHistory';
  return item;
}

function exportItem(node: Extract<PandoraNode, { kind: 'export' }>): vscode.TreeItem {
  const e = node.export;
  const item = new vscode.TreeItem(e.name, C.None);
  item.id = `pandora/job/${node.job}/export/${e.name}`;
  item.description = e.type;
  item.iconPath = new vscode.ThemeIcon('file-symlink-file');
  item.contextValue = `pandoraExport:${e.type}`;
  item.command = { command: 'datahub.pandora.editExport', title: vscode.l10n.t('Edit Export'), arguments: [node] };
  return item;
}

function runItem(node: Extract<PandoraNode, { kind: 'run' }>): vscode.TreeItem {
  const r = node.run;
  const item = new vscode.TreeItem(vscode.l10n.t('Run {0}', r.runId), C.None);
  item.id = `pandora/job/${node.job}/run/${r.runId}`;
  item.description = [runStatusLabel(r.status), formatTime(r.startTime), formatDuration(r.duration)].filter(Boolean).join(' · ');
  item.iconPath = runStatusIcon(r.status);
  item.tooltip = runTooltip(node.job, r);
  item.contextValue = `pandoraRun:${r.status}`;
  item.command = { command: 'datahub.pandora.showRun', title: vscode.l10n.t('Show Run Details'), arguments: [node] };
  return item;
}

function moreItem(node: Extract<PandoraNode, { kind: 'more' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Show more runs…'), C.None);
  item.id = `pandora/job/${node.job}/more`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = { command: 'datahub.pandora.showMoreRuns', title: vscode.l10n.t('Show more runs…'), arguments: [node] };
  item.contextValue = 'pandoraMore';
  return item;
}

function messageItem(node: Extract<PandoraNode, { kind: 'message' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, C.None);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon(node.icon);
  item.tooltip = node.tooltip;
  item.contextValue = 'pandoraMessage';
  return item;
}
