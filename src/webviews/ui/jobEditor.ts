// The job editor page (browser): sources, the SQL code area (line numbers, Ctrl+S saves), container, scheduler,
// params; errors next to their field as you type (the shared validation module); Infer Schema; save through the host.
import { CONTAINER_TYPES, SCHEDULER_TYPES, type JobBody, type SchemaField } from '../../api/pandora/types';
import { issuesByField, validateJob } from '../../api/pandora/validation';
import { jobEditorHostSchema, type JobDraft, type JobEditorHostMessage, type JobEditorInit, type JobEditorPageMessage, type JobEditorState, type SourceOption } from '../jobEditorProtocol';
import { connectPage } from './_channel';
import { RunHistory } from './runChart';
import { DraftTracker, errorSummary, focusFirst, formKeys, revealFirstError } from './_formKit';
import { adoptStyles, button, el, fieldBox, fieldLabel, PAGE_CSS, select, showErrors, textField, Texts } from './_pandoraForm';

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
adoptStyles(PAGE_CSS);
let texts = new Texts({});
let sources: SourceOption[] = [];
let state: State | undefined;
let submitted = false;
const touched = new Set<string>();
let banner: HTMLElement;
let statusLine: HTMLElement;
let sqlArea: HTMLTextAreaElement | undefined;
let sqlGutter: HTMLElement | undefined;
let busy = false;
/** An existing job's run history (its own module; shown below the form). */
const runHistory = new RunHistory((text, ...a) => t(text, ...a), {
  refresh: () => channel.post({ type: 'refreshRuns' }),
  act: (action, runId) => channel.request('runAction', { action, runId }),
});
/** Unsaved edits: the host shows ● and asks on close; the webview state keeps them over a window reload. */
const drafts = new DraftTracker<JobDraft>(
  (draft) => channel.post({ type: 'draft', draft }),
  (draft) => channel.setState({ job: state?.mode === 'edit' ? state.name : null, ...(draft ? { draft } : {}) } satisfies JobEditorState),
);

const t = (s: string, ...a: (string | number)[]): string => texts.t(s, ...a);

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

function currentErrors(): Record<string, string> {
  if (!state) return {};
  return issuesByField(validateJob(state.name.trim(), body(state)), texts.translate);
}

function refreshErrors(extra: Record<string, string> = {}): void {
  const errors = { ...currentErrors(), ...extra };
  showErrors(app, banner, errors, (path) => submitted || path in extra || [...touched].some((f) => f === path || path.startsWith(`${f}.`) || path.startsWith(`${f}[`) || f.startsWith(`${path}[`) || f.startsWith(`${path}.`)));
  if (state) drafts.changed(draftOf(state));
}

/** A failed save: each error next to its field, the first one scrolled into view, all of them at the top. */
function saveFailed(errors: Record<string, string>): void {
  refreshErrors(errors);
  statusLine.className = 'banner-error';
  statusLine.textContent = t('Could not save: {0}', errorSummary({ ...currentErrors(), ...errors }, (path) => fieldLabel(app, path)));
  revealFirstError(app);
}

function touch(path: string): void {
  touched.add(path);
  refreshErrors();
}

function updateGutter(): void {
  if (!sqlArea || !sqlGutter) return;
  const lines = sqlArea.value.split('\n').length;
  sqlGutter.textContent = Array.from({ length: lines }, (_, i) => String(i + 1)).join('\n');
  sqlGutter.scrollTop = sqlArea.scrollTop;
}

function sqlEditor(s: State): HTMLElement {
  const wrap = el('div', { class: 'sql' });
  sqlGutter = el('div', { class: 'gutter', 'aria-hidden': 'true' });
  sqlArea = el('textarea', { spellcheck: 'false', 'aria-label': t('SQL'), wrap: 'off', 'data-testid': 'sql' });
  sqlArea.value = s.code;
  sqlArea.addEventListener('input', () => {
    s.code = sqlArea?.value ?? '';
    updateGutter();
    touch('computation.code');
  });
  sqlArea.addEventListener('scroll', updateGutter);
  sqlArea.addEventListener('keydown', (e) => {
    // Tab indents instead of leaving the code area.
    if (e.key === 'Tab' && !e.ctrlKey && !e.metaKey && !e.altKey && sqlArea) {
      e.preventDefault();
      const { selectionStart: a, selectionEnd: b, value } = sqlArea;
      sqlArea.value = `${value.slice(0, a)}  ${value.slice(b)}`;
      sqlArea.selectionStart = sqlArea.selectionEnd = a + 2;
      sqlArea.dispatchEvent(new Event('input'));
    }
  });
  wrap.append(sqlGutter, sqlArea);
  updateGutter();
  return wrap;
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
      button(t('Remove'), () => {
        s.srcs.splice(i, 1);
        render();
      }, { secondary: '' }),
    );
    list.append(r);
  });
  list.append(el('div', { class: 'error', 'data-error-for': 'srcs', role: 'alert' }));
  section.append(list, button(t('Add Source'), () => {
    const first = sources.find((o) => o.type === 'DataSource');
    s.srcs.push({ type: 'DataSource', name: first?.name ?? '', tableName: first ? first.name.replace(/^[^a-zA-Z]+/, '') || 't' : '', fileFilter: '' });
    touched.add(`srcs[${s.srcs.length - 1}]`);
    render();
  }, { secondary: '', 'data-testid': 'add-source' }));
  return section;
}

function renderSql(s: State): HTMLElement {
  const section = el('section', { 'data-field': 'computation.code' });
  section.append(el('h2', {}, t('SQL')), el('div', { class: 'hint' }, t('Ctrl+S saves. Magic variables: $(year) $(mon) $(day) $(hour) $(min) $(sec) and the params below.')), sqlEditor(s));
  section.append(el('div', { class: 'error', 'data-error-for': 'computation.code', role: 'alert' }));
  const schemaBox = el('div', { 'data-testid': 'schema' });
  const inferStatus = el('span', { class: 'status' });
  const renderSchema = (): void => {
    schemaBox.replaceChildren();
    if (s.schema.length === 0) {
      schemaBox.append(el('div', { class: 'hint' }, t('No columns inferred yet.')));
      return;
    }
    const table = el('table', { class: 'schema' });
    const head = el('tr');
    head.append(el('th', {}, t('Column')), el('th', {}, t('Type')));
    table.append(head);
    for (const f of s.schema) {
      const tr = el('tr');
      tr.append(el('td', {}, f.key), el('td', {}, f.valtype));
      table.append(tr);
    }
    schemaBox.append(table);
  };
  renderSchema();
  section.append(
    el('div', { class: 'toolbar' }),
  );
  const toolbar = section.lastElementChild as HTMLElement;
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
        refreshErrors();
      } else {
        // The backend's answer (E18209 for SQL it cannot read) is shown beside the button that asked.
        const { _form: general, ...fields } = response.errors ?? {};
        inferStatus.className = 'banner-error';
        inferStatus.textContent = general ?? '';
        refreshErrors(fields);
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
  section.append(row, el('div', { class: 'error', 'data-error-for': 'scheduler.spec', role: 'alert' }));
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
      button(t('Remove'), () => {
        s.params.splice(i, 1);
        render();
      }, { secondary: '' }),
    );
    params.append(r);
  });
  params.append(el('div', { class: 'error', 'data-error-for': 'params', role: 'alert' }));
  section.append(params, button(t('Add Param'), () => {
    s.params.push({ name: '', default: '' });
    render();
  }, { secondary: '' }));
  return section;
}

async function save(): Promise<void> {
  if (!state || busy) return;
  submitted = true;
  const errors = currentErrors();
  refreshErrors();
  if (Object.keys(errors).length) {
    saveFailed({});
    return;
  }
  busy = true;
  statusLine.className = 'status';
  statusLine.textContent = t('Saving…');
  const response = await channel.request('save', { name: state.name.trim(), body: body(state) });
  busy = false;
  const result = response.result;
  if (response.ok && result && !Array.isArray(result)) {
    state.mode = 'edit';
    state.schema = result.schema;
    drafts.saved(draftOf(state));
    render();
    statusLine.className = 'banner-ok';
    statusLine.textContent = result.message;
  } else {
    saveFailed(response.errors ?? {});
  }
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
  // Save and Cancel stay at the top of a long form, with what the last save said (its errors too).
  const bar = el('div', { class: 'form-bar' });
  const actions = el('div', { class: 'actions' });
  actions.append(button(t('Save'), () => void save(), { 'data-testid': 'save' }), button(t('Cancel'), () => channel.post({ type: 'cancel' }), { secondary: '', 'data-testid': 'cancel' }));
  const previous = statusLine as HTMLElement | undefined;
  statusLine = el('div', { class: previous?.className ?? 'status', role: 'status', 'data-testid': 'status' }, previous?.textContent ?? '');
  banner = el('div', { role: 'alert', 'data-testid': 'banner' });
  bar.append(actions, statusLine, banner);
  app.append(bar, fieldBox(t('Name'), nameField, 'name'));
  app.append(renderSources(s), renderSql(s), renderRun(s));
  if (s.mode === 'edit') app.append(runHistory.element);
  refreshErrors();
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
  texts = new Texts(init.strings);
  sources = init.sources;
  // What the host holds is the baseline; unsaved edits it kept (a reload, a close answered Cancel) go on top.
  state = stateOf(init, init.restored ?? init.draft);
  drafts.saved(draftOf(stateOf(init, init.draft)));
  render();
  if (init.errors) {
    submitted = true;
    saveFailed(init.errors);
  } else focusFirst(app, 'vscode-textfield:not([disabled]), vscode-single-select:not([disabled]), textarea');
}

document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
    e.preventDefault();
    void save();
  }
});

formKeys(() => void save(), () => channel.post({ type: 'cancel' }));

const channel = connectPage<JobEditorHostMessage, JobEditorPageMessage, JobEditorState>({
  hostSchema: jobEditorHostSchema,
  onMessage: (message) => {
    if (message.type === 'init') start(message);
    else if (message.type === 'runs') runHistory.update(message);
    else if (message.type === 'sqlChanged' && state) {
      state.code = message.code;
      if (sqlArea) sqlArea.value = message.code;
      updateGutter();
      touch('computation.code');
      if (message.save === true) void save();
    }
  },
  onFailure: (errors) => {
    if (!state) app.textContent = Object.values(errors).join('\n');
    else refreshErrors(errors);
  },
});
