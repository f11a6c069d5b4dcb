// The Pandora view's menus: Stop Job is offered only on a running job's row; a run's row offers its details.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } };

/** Whether `when` holds for a row of the Pandora view with this context value (the clauses the manifest uses). */
function offered(when: string, contextValue: string): boolean {
  return when.split('&&').every((clause) => {
    const c = clause.trim();
    if (c === 'view == datahub.pandora') return true;
    const equal = /^viewItem == (.+)$/.exec(c);
    if (equal) return equal[1] === contextValue;
    const regex = /^viewItem =~ \/(.+)\/$/.exec(c);
    if (regex) return new RegExp(regex[1]).test(contextValue);
    throw new Error(`unexpected clause ${c}`);
  });
}

const rowsOffering = (command: string, rows: readonly string[]): string[] =>
  rows.filter((row) => pkg.contributes.menus['view/item/context'].some((m) => m.command === command && m.when !== undefined && offered(m.when, row)));

describe('Pandora menus', () => {
  const jobRows = ['pandoraJob:none:manual', 'pandoraJob:Ready:crontab', 'pandoraJob:Running:crontab', 'pandoraJob:Running:loop', 'pandoraJob:Successful:manual', 'pandoraJob:Failed:depend', 'pandoraJob:Canceled:manual', 'pandoraJob:Cancelling:manual'];

  it('offers Stop Job only on a running job, inline and in the context menu', () => {
    assert.deepEqual(rowsOffering('datahub.pandora.stopJob', jobRows), ['pandoraJob:Running:crontab', 'pandoraJob:Running:loop']);
    const groups = pkg.contributes.menus['view/item/context'].filter((m) => m.command === 'datahub.pandora.stopJob').map((m) => m.group?.split('@')[0]);
    assert.deepEqual(groups.sort(), ['1_run', 'inline']);
  });

  it('does not put Stop Job in the view title, where no job is chosen', () => {
    assert.ok(!pkg.contributes.menus['view/title'].some((m) => m.command === 'datahub.pandora.stopJob'));
  });

  it('offers Show Run Details on every run', () => {
    const runs = ['pandoraRun:Running', 'pandoraRun:Failed', 'pandoraRun:Successful', 'pandoraRun:Canceled'];
    assert.deepEqual(rowsOffering('datahub.pandora.showRun', runs), runs);
  });
});
