// Integration (real VS Code): a Pandora job's SQL as a document (datahub-pandora:/jobs/<job>.sql) against the
// emulator — open, edit, save (a full PUT), a change made elsewhere (diff, Overwrite, Reload, dismissed),
// completion, hover, schema-inference diagnostics and the CodeLens (Start Job through the Start dialog); a new
// job's SQL (datahub-pandora:/new/<id>.sql), held in memory for its job editor.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PandoraClient } from '../../src/api/pandora/client';
import { silentLogger } from '../../src/api/logger';
import { enter, nextPrompt, prompt } from './dialogs';
import { emulatorState, emulatorUrl, poller, readyPandora, testing, webviewTabs } from './helpers';

interface SqlState {
  pandora: {
    jobs: Record<string, { srcs: unknown[]; computation: { code: string; type: string }; container?: unknown; scheduler: unknown; params?: unknown[]; runs: { params: { name: string; value: string }[] }[] }>;
  };
}

const waitFor = poller(20_000, 100);
const state = (): Promise<SqlState> => emulatorState<SqlState>();
const URI = vscode.Uri.parse('datahub-pandora:/jobs/daily_traffic.sql');
const SEED_SQL = 'SELECT host, COUNT(*) AS hits, SUM(bytes) AS total_bytes\nFROM logs\nGROUP BY host';

/** Another client of the same backend: "a change made elsewhere". */
const elsewhere = new PandoraClient({ baseUrl: () => emulatorUrl, auth: async () => ({ kind: 'keys', accessKey: 'demo-ak', secretKey: 'demo-sk' }), logger: silentLogger });
async function changeElsewhere(code: string): Promise<void> {
  const { name: _name, schema: _schema, ...body } = await elsewhere.getJob('daily_traffic');
  await elsewhere.updateJob('daily_traffic', { ...body, computation: { ...body.computation, code } });
}

/** The open save conflict, answered first as its buttons would when `answer` is given. */
async function conflict(answer?: 'overwrite' | 'reload' | 'cancel'): Promise<{ job: string; server: string } | undefined> {
  return (await testing()).pandoraSqlConflict(answer);
}

async function setText(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.equal(doc.getText(), text);
}

const diffTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === URI.toString());

async function completions(doc: vscode.TextDocument, offset: number, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(offset), trigger);
  return list.items;
}
const labelOf = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);

async function hoverText(doc: vscode.TextDocument, offset: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(offset));
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

const problems = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(URI);

describe('Pandora SQL documents (api 003) in a real VS Code', function () {
  this.timeout(120_000);
  let doc: vscode.TextDocument;

  before(async () => {
    await readyPandora(300);
  });

  after(async () => {
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => (t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'datahub-pandora') || (t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'datahub-pandora')));
  });

  it('Open SQL in Editor opens the job as a pandora-sql document; Save sends the job whole with the new SQL', async () => {
    const opened = await vscode.commands.executeCommand<string>('datahub.pandora.openSql', 'daily_traffic');
    assert.equal(opened, URI.toString());
    doc = await waitFor('the pandora-sql editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === URI.toString() && e.document.languageId === 'pandora-sql')?.document);
    assert.equal(doc.getText(), SEED_SQL);
    const before = (await state()).pandora.jobs.daily_traffic;
    const sql = 'SELECT host, COUNT(*) AS hits\nFROM logs\nWHERE ts > $(day)\nGROUP BY host';
    await setText(doc, sql);
    assert.equal(await doc.save(), true);
    assert.equal(doc.isDirty, false);
    const after = (await state()).pandora.jobs.daily_traffic;
    assert.equal(after.computation.code, sql);
    // A full replacement that changed only the SQL (and the output schema the backend infers from it).
    assert.deepEqual({ ...after, computation: undefined, runs: undefined, schema: undefined }, { ...before, computation: undefined, runs: undefined, schema: undefined });
    assert.equal(after.computation.type, before.computation.type);
  });

  it('a change made elsewhere is shown as a diff; Overwrite writes yours', async () => {
    await changeElsewhere('SELECT host FROM logs -- from elsewhere 1');
    await setText(doc, 'SELECT host, status FROM logs');
    const saving = doc.save();
    const open = await waitFor('the conflict question', () => conflict());
    assert.deepEqual(open, { job: 'daily_traffic', server: 'SELECT host FROM logs -- from elsewhere 1' });
    const diff = await waitFor('the diff of server and yours', () => diffTabs()[0]);
    assert.ok(diff.input instanceof vscode.TabInputTextDiff);
    const server = await vscode.workspace.openTextDocument(diff.input.original);
    assert.equal(server.getText(), 'SELECT host FROM logs -- from elsewhere 1');
    await waitFor('the snapshot highlighted as pandora-sql', () => vscode.workspace.textDocuments.some((d) => d.uri.toString() === server.uri.toString() && d.languageId === 'pandora-sql'));
    await conflict('overwrite');
    assert.equal(await saving, true);
    assert.equal((await state()).pandora.jobs.daily_traffic.computation.code, 'SELECT host, status FROM logs');
    await vscode.window.tabGroups.close(diffTabs());
  });

  it('Reload takes the server\'s SQL into the document (yours stays in Undo) and writes nothing', async () => {
    await changeElsewhere('SELECT host FROM logs -- from elsewhere 2');
    await setText(doc, 'SELECT bytes FROM logs');
    const saving = doc.save();
    await waitFor('the conflict question', () => conflict());
    await conflict('reload');
    await saving;
    await waitFor('the server SQL in the document, saved', () => doc.getText() === 'SELECT host FROM logs -- from elsewhere 2' && !doc.isDirty);
    assert.equal((await state()).pandora.jobs.daily_traffic.computation.code, 'SELECT host FROM logs -- from elsewhere 2');
    await vscode.window.tabGroups.close(diffTabs());
  });

  it('a dismissed question saves nothing and keeps your text unsaved', async () => {
    await changeElsewhere('SELECT host FROM logs -- from elsewhere 3');
    await setText(doc, 'SELECT latency FROM logs');
    const saving = doc.save();
    await waitFor('the conflict question', () => conflict());
    await conflict('cancel');
    assert.equal(await saving, false);
    assert.equal(doc.isDirty, true);
    assert.equal((await state()).pandora.jobs.daily_traffic.computation.code, 'SELECT host FROM logs -- from elsewhere 3');
    // Saving again asks again; this time the server's SQL is taken.
    const again = doc.save();
    await waitFor('the conflict question again', () => conflict());
    await conflict('reload');
    await again;
    await waitFor('the document clean', () => !doc.isDirty && doc.getText() === 'SELECT host FROM logs -- from elsewhere 3');
    await vscode.window.tabGroups.close(diffTabs());
  });

  it('completes table names, a table\'s fields, magic variables and params', async () => {
    const text = 'SELECT  FROM logs WHERE logs. = $(';
    await setText(doc, text);
    const words = await completions(doc, 'SELECT '.length);
    const table = words.find((i) => labelOf(i) === 'logs');
    assert.ok(table, words.map(labelOf).join(' '));
    assert.equal(table.kind, vscode.CompletionItemKind.Class);
    const host = words.find((i) => labelOf(i) === 'host');
    assert.equal(host?.detail, 'string · logs');
    const members = await completions(doc, text.indexOf('logs.') + 5, '.');
    const fields = members.filter((i) => i.kind === vscode.CompletionItemKind.Field).map((i) => `${labelOf(i)}:${i.detail ?? ''}`);
    assert.deepEqual(fields, ['ts:date · logs', 'host:string · logs', 'status:long · logs', 'bytes:long · logs', 'latency:float · logs']);
    const variables = (await completions(doc, text.length, '(')).filter((i) => i.kind === vscode.CompletionItemKind.Variable);
    assert.deepEqual(variables.map(labelOf), ['year', 'mon', 'day', 'hour', 'min', 'sec', 'region']);
    assert.equal(variables.find((v) => labelOf(v) === 'region')?.insertText, 'region)');
  });

  it('hover shows a field\'s type and table, a param\'s default, and the output schema over SELECT', async () => {
    const text = 'SELECT host, bytes FROM logs WHERE r = $(region)';
    await setText(doc, text);
    const host = await hoverText(doc, text.indexOf('host') + 1);
    assert.match(host, /string/);
    assert.match(host, /logs/);
    const region = await hoverText(doc, text.indexOf('region') + 1);
    assert.match(region, /east/);
    // The output schema the backend keeps with the job, until an inference gives a new one.
    const outcome = await vscode.commands.executeCommand<{ ok: boolean }>('datahub.pandoraSql.inferSchema', doc.uri);
    assert.equal(outcome.ok, true);
    const output = await hoverText(doc, 2);
    assert.match(output, /host: `string`/);
    assert.match(output, /bytes: `long`/);
  });

  it('diagnostics: an inference error at the position it names, else on the first line; unknown $(…) as you type', async () => {
    await setText(doc, 'SELECT host,\n  hostx FROM logs');
    const named = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('datahub.pandoraSql.inferSchema', doc.uri);
    assert.equal(named.ok, false);
    let errors = problems().filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /hostx/);
    assert.deepEqual([errors[0].range.start.line, errors[0].range.start.character, errors[0].range.end.character], [1, 2, 7]);
    await setText(doc, 'DELETE FROM logs\nWHERE 1 = 1');
    await vscode.commands.executeCommand('datahub.pandoraSql.inferSchema', doc.uri);
    errors = problems().filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.equal(errors.length, 1);
    assert.deepEqual(errors[0].range, doc.lineAt(0).range);
    // On save: the backend refuses SQL it cannot infer (the document stays unsaved) and the inference says where.
    await setText(doc, 'SELECT host FROM nowhere');
    assert.equal(await doc.save(), false);
    assert.equal(doc.isDirty, true);
    await waitFor('the save\'s inference error', () => problems().some((d) => d.severity === vscode.DiagnosticSeverity.Error && /nowhere/.test(d.message) && d.range.start.character === 17));
    await setText(doc, 'SELECT host FROM logs WHERE r = $(zone)');
    const warning = await waitFor('the unknown variable warning', () => problems().find((d) => d.severity === vscode.DiagnosticSeverity.Warning));
    assert.match(warning.message, /zone/);
    assert.equal(doc.getText(warning.range), '$(zone)');
    await setText(doc, 'SELECT host FROM logs WHERE r = $(region)');
    assert.equal(await doc.save(), true);
    await waitFor('no problems left', () => problems().length === 0);
  });

  it('CodeLens: Infer Schema · Save Job · Start Job (the Start dialog asks the params), then the inferred output', async () => {
    await setText(doc, 'SELECT host, COUNT(*) AS hits FROM logs GROUP BY host');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const byTitle = new Map(lenses.map((l) => [l.command?.title, l.command]));
    assert.ok(byTitle.has('Infer Schema') && byTitle.has('Save Job') && byTitle.has('Start Job'), [...byTitle.keys()].join(' · '));
    const infer = byTitle.get('Infer Schema');
    await vscode.commands.executeCommand(infer?.command ?? '', ...(infer?.arguments ?? []));
    const after = await waitFor('the output lens', async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)).find((l) => l.command?.title.startsWith('Output:')));
    assert.equal(after.command?.title, 'Output: host string, hits long');
    const save = byTitle.get('Save Job');
    assert.equal(await vscode.commands.executeCommand(save?.command ?? '', ...(save?.arguments ?? [])), true);
    assert.equal((await state()).pandora.jobs.daily_traffic.computation.code, 'SELECT host, COUNT(*) AS hits FROM logs GROUP BY host');
    const start = byTitle.get('Start Job');
    const started = vscode.commands.executeCommand<string>(start?.command ?? '', ...(start?.arguments ?? []));
    const variables = await nextPrompt('pickMany', 0);
    assert.equal(variables.title, 'Start daily_traffic');
    await prompt({ select: ['param:region'] });
    await enter(variables.step);
    const region = await nextPrompt('input', variables.step);
    await prompt({ value: 'west' });
    await enter(region.step);
    assert.equal(await started, 'daily_traffic');
    const runs = (await state()).pandora.jobs.daily_traffic.runs;
    assert.deepEqual(runs[runs.length - 1].params, [{ name: 'region', value: 'west' }]);
  });

  it('a new job\'s SQL is an in-memory document of its job editor (no file): the form\'s sources complete, its Save goes to the form', async () => {
    await vscode.commands.executeCommand('datahub.pandora.createJob');
    const editor = await waitFor('the new job editor', async () => (await testing()).pandoraPanel('job', undefined));
    // The form as the person has it (the page reports it as it changes): weblogs read as table logs, a param.
    const body = { srcs: [{ name: 'weblogs', type: 'DataSource', tableName: 'logs' }], computation: { type: 'SQL', code: 'SELECT host FROM logs' }, container: { type: '1U2G', count: 1 }, scheduler: { type: 'manual' }, params: [{ name: 'zone', default: 'east' }] };
    await editor.post({ type: 'draft', draft: { name: 'sql_new_job', body } });
    await editor.post({ type: 'openSqlEditor', code: body.computation.code });
    const isNew = (uri: vscode.Uri): boolean => uri.scheme === 'datahub-pandora' && uri.path.startsWith('/new/');
    const created = await waitFor('the new job\'s SQL tab', () => vscode.window.visibleTextEditors.find((e) => isNew(e.document.uri) && e.document.languageId === 'pandora-sql')?.document);
    assert.match(created.uri.path, /^\/new\/job-\d+\.sql$/);
    assert.equal(created.getText(), body.computation.code);
    // Completion reads the form: the table logs with the fields of weblogs, and the form's param.
    const text = 'SELECT  FROM logs WHERE logs. = $(';
    await setText(created, text);
    assert.ok((await completions(created, 'SELECT '.length)).some((i) => labelOf(i) === 'logs' && i.kind === vscode.CompletionItemKind.Class));
    const members = (await completions(created, text.indexOf('logs.') + 5, '.')).filter((i) => i.kind === vscode.CompletionItemKind.Field).map(labelOf);
    assert.deepEqual(members, ['ts', 'host', 'status', 'bytes', 'latency']);
    const variables = (await completions(created, text.length, '(')).filter((i) => i.kind === vscode.CompletionItemKind.Variable).map(labelOf);
    assert.deepEqual(variables, ['year', 'mon', 'day', 'hour', 'min', 'sec', 'zone']);
    // A variable the form does not declare is flagged; the CodeLens has no Start Job before the job exists.
    await setText(created, 'SELECT host FROM logs WHERE r = $(region)');
    const warning = await waitFor('the unknown variable warning', () => vscode.languages.getDiagnostics(created.uri).find((d) => d.severity === vscode.DiagnosticSeverity.Warning));
    assert.match(warning.message, /region/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', created.uri);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Infer Schema', 'Save Job']);
    // Save keeps the text in the document (no file anywhere) and hands it to the form.
    const sql = 'SELECT host FROM logs WHERE r = $(zone)';
    await setText(created, sql);
    assert.equal(await created.save(), true);
    assert.equal(created.isDirty, false);
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(created.uri)), sql);
    // Once its editor is closed, nothing can save it: the save fails and the text stays.
    await vscode.window.tabGroups.close(webviewTabs('datahub.pandora.jobEditor'));
    await waitFor('the job editor closed', async () => (await testing()).pandoraPanel('job', undefined) === undefined);
    await setText(created, `${sql} -- later`);
    assert.equal(await created.save(), false);
    assert.equal(created.isDirty, true);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
