// Pandora job and export commands: the job editor (create / edit), delete, start (the Start dialog: params
// and built-in variables), stop; the export editor (create / edit) and export delete.
import * as vscode from 'vscode';
import { ExportEditorPanel } from '../../webviews/exportEditorPanel';
import { JobEditorPanel } from '../../webviews/jobEditorPanel';
import type { PandoraCommandDeps } from './register';
import { cancelled, confirmDelete } from './pickers';
import { askRunParams } from './startDialog';

const t = vscode.l10n.t;

export function registerJobCommands(deps: PandoraCommandDeps): void {
  const { commands, client, tree, pickers, prompts, dialogs } = deps;

  commands.register('datahub.pandora.createJob', () => {
    JobEditorPanel.show(deps.panels);
  });
  commands.register('datahub.pandora.editJob', async (arg?: unknown) => {
    JobEditorPanel.show(deps.panels, await pickers.job(arg));
  });
  commands.register('datahub.pandora.deleteJob', async (arg?: unknown) => {
    const name = await pickers.job(arg);
    if (!(await confirmDelete(prompts, t('Delete job {0} with its exports and run history?', name)))) return false;
    await client.deleteJob(name);
    tree.refresh();
    return true;
  });

  /** The Start dialog: the params and built-in variables to set, then their values. */
  commands.register('datahub.pandora.startJob', async (arg?: unknown) => {
    const name = await pickers.job(arg);
    const job = await client.getJob(name);
    const params = (await askRunParams(dialogs, job)) ?? cancelled();
    await client.startJob(name, params);
    // The history does not report a run's params: keep what this run was given for its details view.
    const started = await client.history(name, { runId: -1 }).then((p) => p.history[0]).catch(() => undefined);
    if (started) deps.runDetails.remember(name, started.runId, params);
    tree.refresh();
    void vscode.window.showInformationMessage(t('Started job {0}.', name));
    return name;
  });

  commands.register('datahub.pandora.stopJob', async (arg?: unknown) => {
    // From the palette with nothing running there is nothing to choose: said as information, not as an error.
    const name = await pickers.runningJob(arg);
    if (name === undefined) return undefined;
    await client.stopJob(name);
    tree.refresh();
    void vscode.window.showInformationMessage(t('Stopped job {0}.', name));
    return name;
  });

  commands.register('datahub.pandora.createExport', async (arg?: unknown) => {
    ExportEditorPanel.show(deps.panels, await pickers.job(arg));
  });
  commands.register('datahub.pandora.editExport', async (arg?: unknown) => {
    const { job, name } = await pickers.export(arg);
    ExportEditorPanel.show(deps.panels, job, name);
  });
  commands.register('datahub.pandora.deleteExport', async (arg?: unknown) => {
    const { job, name } = await pickers.export(arg);
    if (!(await confirmDelete(prompts, t('Delete export {0} of {1}?', name, job)))) return false;
    await client.deleteExport(job, name);
    tree.refresh();
    return true;
  });
}
