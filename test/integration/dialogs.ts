// Drives the Pandora dialogs (VS Code's own QuickPick and InputBox) as a person would: through the extension's
// test-mode API the open question is read, items are chosen or text typed, then Enter goes through the workbench.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenPrompt, PromptAction } from '../../src/commands/pandora/dialogs';
import { poller, testing } from './helpers';

const waitFor = poller(20_000, 100);

/** The open question of a Pandora dialog, after choosing items or typing in it (what a person does). */
export const prompt = async (action?: PromptAction): Promise<OpenPrompt | undefined> => (await testing()).pandoraPrompt(action);

/** Waits for the next question of `kind` after step `after` (0: the first question of a command just run). */
export function nextPrompt(kind: OpenPrompt['kind'], after: number): Promise<OpenPrompt> {
  return waitFor(`a ${kind} question after step ${after}`, async () => {
    const open = await prompt();
    return open && open.step > after && open.kind === kind ? open : undefined;
  });
}

/**
 * Enter, through the workbench's own command, then waits until the question `step` is answered. Pressed once:
 * the testing API answers only after the widget's updates were sent, so Enter reaches the widget as shown.
 */
export async function enter(step: number): Promise<void> {
  assert.equal((await prompt())?.step, step, `question ${step} is the open one`);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await waitFor(`question ${step} answered`, async () => {
    const open = await prompt();
    return open === undefined || open.step !== step;
  });
}

/**
 * Start Pandora Job… on the job's tree node, the Start dialog answered: exactly the variables named in `values` ticked
 * (the job's params and the built-ins alike), each given its value. Resolves to what the command returned.
 */
export async function startJob(node: unknown, values: Readonly<Record<string, string>> = {}): Promise<string> {
  const started = vscode.commands.executeCommand<string>('datahub.pandora.startJob', node);
  const variables = await nextPrompt('pickMany', 0);
  const chosen = (variables.choices ?? []).filter((c) => Object.hasOwn(values, c.id.slice(c.id.indexOf(':') + 1)));
  assert.equal(chosen.length, Object.keys(values).length, `the Start dialog offers ${JSON.stringify(variables.choices)}`);
  await prompt({ select: chosen.map((c) => c.id) });
  await enter(variables.step);
  let step = variables.step;
  for (const choice of chosen) {
    const question = await nextPrompt('input', step);
    await prompt({ value: values[choice.id.slice(choice.id.indexOf(':') + 1)] });
    await enter(question.step);
    step = question.step;
  }
  return started;
}
