// The job editor page (browser): sources, the SQL code area (line numbers, Ctrl+S saves), container, scheduler,
// params; errors next to their field as you type (the shared validation module); Infer Schema; save through the host.
import { CONTAINER_TYPES, SCHEDULER_TYPES, type JobBody, type SchemaField } from '../../api/pandora/types';
import { issuesByField, validateJob } from '../../api/pandora/validation';
import { jobEditorHostSchema, type JobDraft, type JobEditorHostMessage, type JobEditorInit, type JobEditorPageMessage, type JobEditorState, type JobSaveResult, type SourceOption } from '../jobEditorProtocol';
import { connectPage } from './_channel';
import { RunHistory } from './_runChart';
import { el, table } from './_dom';
import { SqlArea } from './_sqlArea';
import { EditorForm } from './_editorForm';
import { DraftTracker } from './_formKit';
import { button, errorSlot, fieldBox, removeButton, select, textField } from './_pandoraForm';

interface SourceRow {
  type: 'DataSource' | 'Job';
  name: string;
  tableName: string;
  fileFilter: string;
}

interface State {
  mode: 'create' | 'edit';
  name: string;
  srcs: SourceRow[];
  code: string;
  containerType: string;
  containerCount: string;
  scheduler: string;
  crontab: string;
  loop: string;
  params: { name: string; default: string }[];
  schema: SchemaField[];
}

const app = document.getElementById('app') as HTMLElement;
let sources: SourceOption[] = [];
let state: State | undefined;
let sqlArea: SqlArea | undefined;
/** An existing job's run history (its own module; shown below the form). */
const runHistory = new RunHistory((text, ...a) => t(text, ...a), {
  refresh: () => channel.post({ type: 'refreshRuns' }),
  act: (action, runId) => channel.request('runAction', { action, runId }),
});
const form: EditorForm<JobDraft, JobSaveResult | SchemaField[] | null> = new EditorForm(app, {
  errors: (): Record<string, string> => (state ? issuesByField(validateJob(state.name.trim(), body(state)), form.texts.translate) : {}),
  draft: () => (state ? draftOf(state) : undefined),
  /** Unsaved edits: the host shows ● and asks on close; the webview state keeps them over a window reload. */
  drafts: new DraftTracker<JobDraft>(
    (draft) => channel.post({ type: 'draft', draft }),
    (draft) => channel.setState({ job: state?.mode === 'edit' ? state.name : null, ...(draft ? { draft } : {}) } satisfies JobEditorState),
  ),
  render: () => render(),
  cancel: () => channel.post({ type: 'cancel' }),
  // A list's error (no source) shows once one of its rows was edited.
  upward: true,
  send: (draft) => channel.request('save', draft),
  saved: (result) => {
    if (!state || !result || Array.isArray(result)) return undefined;
    state.mode = 'edit';
    state.schema = result.schema;
    return result.message;
  },
});
const { t } = form;
const touch = (path: string): void => form.touch(path);

function body(s: State): JobBody {
  const depend = s.scheduler === 'depend';
  const count = /^\s*\d+\s*$/.test(s.containerCount) ? Number(s.containerCount) : Number.NaN;
  const spec = s.scheduler === 'crontab' ? { crontab: s.crontab.trim() } : s.scheduler === 'loop' ? { loop: s.loop.trim() } : undefined;
  return {
    srcs: s.srcs.map((r) => ({ name: r.name, type: r.type, tableName: r.tableName.trim(), ...(r.fileFilter ? { fileFilter: r.fileFilter } : {}) })),
    computation: { type: 'SQL', code: s.code },
    ...(depend ? {} : { container: { type: s.containerType as NonNullable<JobBody['container']>['type'], count } }),
    scheduler: { type: s.scheduler as JobBody['scheduler']['type'], ...(spec ? { spec } : {}) },
    ...(depend ? {} : { params: s.params.map((p) => ({ name: p.name.trim(), default: p.default })) }),
  };
}

function draftOf(s: State): JobDraft {
  return { name: s.name.trim(), body: body(s) };
}

function sourceOptions(type: SourceRow['type']): { value: string; label: string }[] {
  const names = sources.filter((o) => o.type === type).map((o) => ({ value: o.name, label: o.name }));
  return [{ value: '', label: '—' }, ...names];
}

function renderSources(s: State): HTMLElement {
  const section = el('section');
  section.append(el('h2', {}, t('Sources')));
  const list = el('div', { 'data-field': 'srcs' });
  s.srcs.forEach((row, i) => {
    const at = `srcs[${i}]`;
    const r = el('div', { class: 'grid-row', 'data-testid': `src-${i}` });
    r.append(
      fieldBox(t('Source type'), select([{ value: 'DataSource', label: t('DataSource') }, { value: 'Job', label: t('Job') }], row.type, (v) => {
        row.type = v === 'Job' ? 'Job' : 'DataSource';
        row.name = '';
        render();
      }), `${at}.type`),
      fieldBox(t('Source'), select(sourceOptions(row.type), row.name, (v) => {
        row.name = v;
        if (!row.tableName) {
          row.tableName = v.replace(/^[^a-zA-Z]+/, '') || 't';
          render();
        } else touch(`${at}.name`);
      }, { 'data-testid': `src-${i}-name` }), `${at}.name`),
      fieldBox(t('Table name'), textField(row.tableName, (v) => {
        row.tableName = v;
        touch(`${at}.tableName`);
      }, { 'data-testid': `src-${i}-table` }), `${at}.tableName`),
      fieldBox(t('File filter'), textField(row.fileFilter, (v) => {
        row.fileFilter = v;
        touch(`${at}.fileFilter`);
      }, { placeholder: '$(year)-$(mon)-$(day)' }), `${at}.fileFilter`),
      removeButton(t('Remove'), s.srcs, i, render),
    );
    list.append(r);
  });
  list.append(errorSlot('srcs'));
  section.append(list, button(t('Add Source'), () => {
    const first = sources.find((o) => o.type === 'DataSource');
    s.srcs.push({ type: 'DataSource', name: first?.name ?? '', tableName: first ? first.name.replace(/^[^a-zA-Z]+/, '') || 't' : '', fileFilter: '' });
    form.markTouched(`srcs[${s.srcs.length - 1}]`);
    render();
  }, { secondary: '', 'data-testid': 'add-source' }));
  return section;
}

function renderSql(s: State): HTMLElement {
  const section = el('section', { 'data-field': 'computation.code' });
  section.append(el('h2', {}, t('SQL')), el('div', { class: 'hint' }, t('Ctrl+S saves. Magic variables: $(year) $(mon) $(day) $(hour) $(min) $(sec) and the params below.')));
  sqlArea = new SqlArea(t('SQL'), s.code, (code) => {
    s.code = code;
    touch('computation.code');
  });
  section.append(sqlArea.element);
  section.append(errorSlot('computation.code'));
  const schemaBox = el('div', { 'data-testid': 'schema' });
  const inferStatus = el('span', { class: 'status' });
  const renderSchema = (): void => {
    schemaBox.replaceChildren();
    if (s.schema.length === 0) {
      schemaBox.append(el('div', { class: 'hint' }, t('No columns inferred yet.')));
      return;
    }
    schemaBox.append(table({ class: 'schema' }, [t('Column'), t('Type')], s.schema.map((f) => [f.key, f.valtype])));
  };
  renderSchema();
  const toolbar = el('div', { class: 'toolbar' });
  section.append(toolbar);
  toolbar.append(
    button(t('Infer Schema'), () => void (async () => {
      inferStatus.className = 'status';
      inferStatus.textContent = t('Inferring…');
      const b = body(s);
      const response = await channel.request('inferSchema', { srcs: b.srcs, code: s.code });
      inferStatus.textContent = '';
      if (response.ok && Array.isArray(response.result)) {
        s.schema = response.result;
        renderSchema();
        form.refreshErrors();
      } else {
        // The backend's answer (E18209 for SQL it cannot read) is shown beside the button that asked.
        const { _form: general, ...fields } = response.errors ?? {};
        inferStatus.className = 'banner-error';
        inferStatus.textContent = general ?? '';
        form.refreshErrors(fields);
      }
    })(), { 'data-testid': 'infer' }),
    button(t('Edit in Editor Tab'), () => channel.post({ type: 'openSqlEditor', code: s.code }), { secondary: '' }),
    inferStatus,
  );
  section.append(el('h2', {}, t('Output schema')), schemaBox);
  return section;
}

function renderRun(s: State): HTMLElement {
  const section = el('section');
  section.append(el('h2', {}, t('Scheduler')));
  const row = el('div', { class: 'grid-row' });
  row.append(fieldBox(t('Scheduler'), select(SCHEDULER_TYPES.map((v) => ({ value: v, label: v })), s.scheduler, (v) => {
    s.scheduler = v;
    render();
  }, { 'data-testid': 'scheduler' }), 'scheduler.type'));
  if (s.scheduler === 'crontab') row.append(fieldBox(t('Crontab'), textField(s.crontab, (v) => {
    s.crontab = v;
    touch('scheduler.spec.crontab');
  }, { placeholder: '0 0 0/1 * * ?' }), 'scheduler.spec.crontab'));
  if (s.scheduler === 'loop') row.append(fieldBox(t('Loop interval'), textField(s.loop, (v) => {
    s.loop = v;
    touch('scheduler.spec.loop');
  }, { placeholder: '5m' }), 'scheduler.spec.loop'));
  section.append(row, errorSlot('scheduler.spec'));
  if (s.scheduler === 'depend') {
    section.append(el('div', { class: 'hint' }, t('A depend job runs after its upstream job and uses its container and params.')));
    return section;
  }
  section.append(el('h2', {}, t('Container')));
  const c = el('div', { class: 'grid-row' });
  c.append(
    fieldBox(t('Container type'), select(CONTAINER_TYPES.map((v) => ({ value: v, label: v })), s.containerType, (v) => {
      s.containerType = v;
      touch('container.count');
    }), 'container.type'),
    fieldBox(t('Count'), textField(s.containerCount, (v) => {
      s.containerCount = v;
      touch('container.count');
    }, { type: 'number', min: '1' }), 'container.count'),
  );
  section.append(c, el('h2', {}, t('Params')));
  const params = el('div', { 'data-field': 'params' });
  s.params.forEach((p, i) => {
    const r = el('div', { class: 'grid-row' });
    r.append(
      fieldBox(t('Param name'), textField(p.name, (v) => {
        p.name = v;
        touch(`params[${i}].name`);
      }), `params[${i}].name`),
      fieldBox(t('Default'), textField(p.default, (v) => {
        p.default = v;
        touch(`params[${i}].default`);
      }), `params[${i}].default`),
      removeButton(t('Remove'), s.params, i, render),
    );
    params.append(r);
  });
  params.append(errorSlot('params'));
  section.append(params, button(t('Add Param'), () => {
    s.params.push({ name: '', default: '' });
    render();
  }, { secondary: '' }));
  return section;
}

function render(): void {
  const s = state;
  if (!s) return;
  const scrollY = window.scrollY;
  app.replaceChildren();
  app.removeAttribute('aria-busy');
  app.append(el('h1', {}, s.mode === 'create' ? t('New Pandora Job') : t('Pandora Job {0}', s.name)));
  const nameField = textField(s.name, (v) => {
    s.name = v;
    touch('name');
  }, { 'data-testid': 'job-name' });
  if (s.mode === 'edit') nameField.disabled = true;
  app.append(form.bar(), fieldBox(t('Name'), nameField, 'name'));
  app.append(renderSources(s), renderSql(s), renderRun(s));
  if (s.mode === 'edit') app.append(runHistory.element);
  form.refreshErrors();
  window.scrollTo(0, scrollY);
}

function stateOf(init: JobEditorInit, draft: JobDraft): State {
  const b = draft.body;
  const s: State = {
    mode: init.mode,
    name: draft.name,
    srcs: b.srcs.map((s) => ({ type: s.type, name: s.name, tableName: s.tableName, fileFilter: s.fileFilter ?? '' })),
    code: b.computation.code,
    containerType: b.container?.type ?? '1U2G',
    containerCount: String(b.container?.count ?? 1),
    scheduler: b.scheduler.type,
    crontab: b.scheduler.spec?.crontab ?? '',
    loop: b.scheduler.spec?.loop ?? '',
    params: (b.params ?? []).map((p) => ({ ...p })),
    schema: init.schema ?? [],
  };
  if (s.srcs.length === 0 && sources.some((o) => o.type === 'DataSource')) {
    const first = sources.find((o) => o.type === 'DataSource') as SourceOption;
    s.srcs.push({ type: 'DataSource', name: first.name, tableName: 't', fileFilter: '' });
  }
  return s;
}

function start(init: JobEditorInit): void {
  sources = init.sources;
  // What the host holds is the baseline; unsaved edits it kept (a reload, a close answered Cancel) go on top.
  state = stateOf(init, init.restored ?? init.draft);
  form.start(init.strings, draftOf(stateOf(init, init.draft)), init.errors, 'vscode-textfield:not([disabled]), vscode-single-select:not([disabled]), textarea');
}

const channel = connectPage<JobEditorHostMessage, JobEditorPageMessage, JobEditorState>({
  hostSchema: jobEditorHostSchema,
  onMessage: (message) => {
    if (message.type === 'init') start(message);
    else if (message.type === 'runs') runHistory.update(message);
    else if (message.type === 'sqlChanged' && state) {
      state.code = message.code;
      sqlArea?.set(message.code);
      touch('computation.code');
      if (message.save === true) void form.save();
    }
  },
  onFailure: (errors) => form.failed(errors),
});
