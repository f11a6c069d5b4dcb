// The Start dialog: which of the job's params and of the built-in variables ($(year) $(mon) $(day) $(hour)
// $(min) $(sec)) to set for this run, then each value. The document's start params are magic variables, so
// the built-ins may be given a value too; what is left unselected takes the job's default or the run's time.
import * as vscode from 'vscode';
import type { Job, RunParam } from '../../api/pandora/types';
import { MAGIC_VARIABLES } from '../../api/pandora/types';
import type { PandoraDialogs, PromptChoice } from './dialogs';

const t = vscode.l10n.t;

/** Asks which variables to set and their values; undefined when the person cancels. */
export async function askRunParams(prompts: PandoraDialogs, job: Job): Promise<RunParam[] | undefined> {
  const declared = job.params ?? [];
  const builtIns = MAGIC_VARIABLES.filter((name) => !declared.some((p) => p.name === name));
  const choices: PromptChoice[] = [
    ...declared.map((p) => ({ id: `param:${p.name}`, label: `$(${p.name})`, description: t('param · default “{0}”', p.default), picked: true })),
    ...builtIns.map((name) => ({ id: `builtin:${name}`, label: `$(${name})`, description: t('built-in · the time of the run unless set') })),
  ];
  const title = t('Start {0}', job.name);
  const chosen = await prompts.pickMany(title, choices, t('Variables to set for this run (Enter starts with the others at their defaults)'));
  if (!chosen) return undefined;
  const params: RunParam[] = [];
  const selected = choices.filter((c) => chosen.includes(c.id));
  for (const [i, choice] of selected.entries()) {
    const name = choice.id.slice(choice.id.indexOf(':') + 1);
    const builtIn = choice.id.startsWith('builtin:');
    const value = await prompts.input({
      title: t('Start {0} ({1}/{2})', job.name, i + 1, selected.length),
      // The parameter by its name (no `$(…)`, which the widget would read as an icon), with its default.
      prompt: builtIn ? t('Value of {0} (built-in; the time of the run unless set)', name) : t('Value of {0} (default: {1})', name, declared.find((p) => p.name === name)?.default ?? ''),
      value: builtIn ? '' : declared.find((p) => p.name === name)?.default ?? '',
      placeHolder: builtIn ? t('For example {0}', exampleOf(name)) : undefined,
      validate: (text) => (builtIn && text.trim() === '' ? t('Enter a value, or leave $({0}) unselected to use the time of the run.', name) : undefined),
    });
    if (value === undefined) return undefined;
    params.push({ name, value: builtIn ? value.trim() : value });
  }
  return params;
}

/** What the built-in would be now, as an example of its form. */
function exampleOf(name: string): string {
  const now = new Date();
  const two = (n: number): string => String(n).padStart(2, '0');
  switch (name) {
    case 'year':
      return String(now.getFullYear());
    case 'mon':
      return two(now.getMonth() + 1);
    case 'day':
      return two(now.getDate());
    case 'hour':
      return two(now.getHours());
    case 'min':
      return two(now.getMinutes());
    default:
      return two(now.getSeconds());
  }
}
