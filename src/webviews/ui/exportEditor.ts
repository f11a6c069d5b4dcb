// The export spec editor page (browser): a type selector showing only that type's fields, compression choices
// that follow the format, mapping rows whose values pick from the job's output schema; errors as you type.
import { COMPRESSIONS, EXPORT_FORMATS, EXPORT_TYPES, HTTP_FORMATS, REPORT_SAVE_MODES, SAVE_MODES, type ExportBody, type ExportFormat, type ExportType, type SchemaField } from '../../api/pandora/types';
import { issuesByField, validateExport } from '../../api/pandora/validation';
import { exportEditorHostSchema, type ExportDraft, type ExportEditorHostMessage, type ExportEditorInit, type ExportEditorPageMessage, type ExportEditorState } from '../exportEditorProtocol';
import { connectPage } from './_channel';
import { DraftTracker, errorSummary, focusFirst, formKeys, revealFirstError } from './_formKit';
import { adoptStyles, button, checkbox, el, fieldBox, fieldLabel, PAGE_CSS, select, showErrors, textField, Texts } from './_pandoraForm';

type MappingKey = 'doc' | 'tags' | 'fields' | 'columns';
interface Mapping {
  target: string;
  source: string;
}

interface State {
  mode: 'create' | 'edit';
  jobName: string;
  name: string;
  type: ExportType;
  v: Record<string, string>;
  flags: { containsHeader: boolean; omitInvalid: boolean; autoCreation: boolean };
  partitionBy: string[];
  mappings: Record<MappingKey, Mapping[]>;
}

const app = document.getElementById('app') as HTMLElement;
adoptStyles(PAGE_CSS);
let texts = new Texts({});
let columns: SchemaField[] = [];
let state: State | undefined;
let submitted = false;
const touched = new Set<string>();
let banner: HTMLElement;
let statusLine: HTMLElement;
let busy = false;
/** Unsaved edits: the host shows ● and asks on close; the webview state keeps them over a window reload. */
const drafts = new DraftTracker<ExportDraft>(
  (draft) => channel.post({ type: 'draft', draft }),
  (draft) => {
    if (state) channel.setState({ job: state.jobName, export: state.mode === 'edit' ? state.name : null, ...(draft ? { draft } : {}) } satisfies ExportEditorState);
  },
);
const t = (s: string, ...a: (string | number)[]): string => texts.t(s, ...a);

const TYPE_LABELS: Record<ExportType, string> = {
  kodo: 'kodo — Kodo object storage',
  hdfs: 'hdfs — HDFS',
  http: 'http — HTTP endpoint',
  logdb: 'logdb — log search repository',
  tsdb: 'tsdb — time-series database',
  report: 'report — report platform',
};

function num(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

function opt(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

/** Target field → job column; fromEntries makes every target an own property, whatever its name. */
function toMap(rows: Mapping[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.target.trim(), r.source]));
}

function exportBody(s: State): ExportBody {
  const v = s.v;
  const format = opt(v.format) as ExportFormat | undefined;
  const csv = format === 'csv';
  const common = { format, compression: opt(v.compression), partitionBy: s.partitionBy.length ? s.partitionBy : undefined, fileCount: num(v.fileCount) as number, saveMode: opt(v.saveMode) as never };
  const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
  switch (s.type) {
    case 'kodo':
      return { type: 'kodo', spec: strip({ bucket: v.bucket ?? '', keyPrefix: opt(v.keyPrefix), ...common, delimiter: csv ? v.delimiter ?? '' : undefined, containsHeader: csv ? s.flags.containsHeader : undefined, retention: num(v.retention) }) };
    case 'hdfs':
      return { type: 'hdfs', spec: strip({ path: v.path ?? '', ...common, delimiter: csv ? v.delimiter ?? '' : undefined }) };
    case 'http':
      return { type: 'http', spec: strip({ host: v.host ?? '', uri: v.uri ?? '', format: opt(v.httpFormat) as never }) };
    case 'logdb':
      return { type: 'logdb', spec: { destRepoName: v.destRepoName ?? '', omitInvalid: s.flags.omitInvalid, doc: toMap(s.mappings.doc) } };
    case 'tsdb':
      return { type: 'tsdb', spec: strip({ destRepoName: v.destRepoName ?? '', omitInvalid: s.flags.omitInvalid, series: opt(v.series), tags: toMap(s.mappings.tags), fields: toMap(s.mappings.fields), timestamp: opt(v.timestamp) }) };
    case 'report':
      return { type: 'report', spec: strip({ database: v.database ?? '', table: v.table ?? '', autoCreation: s.flags.autoCreation, columns: toMap(s.mappings.columns), saveMode: opt(v.reportSaveMode) as never }) };
  }
}

function currentErrors(): Record<string, string> {
  if (!state) return {};
  const columnNames = columns.length ? columns.map((c) => c.key) : undefined;
  const errors = issuesByField(validateExport(state.name.trim(), exportBody(state), columnNames), texts.translate);
  // Mapping rows: a blank or repeated target field is named on its row.
  for (const key of ['doc', 'tags', 'fields', 'columns'] as const) {
    const seen = new Set<string>();
    state.mappings[key].forEach((r, i) => {
      const target = r.target.trim();
      if (!target) errors[`spec.${key}[${i}]`] = t('Required.');
      else if (seen.has(target)) errors[`spec.${key}[${i}]`] = t('“{0}” appears more than once.', target);
      seen.add(target);
      const byTarget = errors[`spec.${key}.${target}`];
      if (byTarget) errors[`spec.${key}[${i}]`] ??= byTarget;
    });
  }
  return errors;
}

function refreshErrors(extra: Record<string, string> = {}): void {
  showErrors(app, banner, { ...currentErrors(), ...extra }, (path) => submitted || path in extra || [...touched].some((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`)));
  if (state) drafts.changed(draftOf(state));
}

function draftOf(s: State): ExportDraft {
  return { name: s.name.trim(), body: exportBody(s) };
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

function text(s: State, key: string, label: string, path: string, attrs: Record<string, string> = {}): HTMLElement {
  return fieldBox(label, textField(s.v[key] ?? '', (value) => {
    s.v[key] = value;
    touch(path);
  }, { 'data-testid': `f-${key}`, ...attrs }), path);
}

function choice(s: State, key: string, label: string, path: string, values: readonly string[], withDefault: string | undefined, rerender = false): HTMLElement {
  const options = [...(withDefault !== undefined ? [{ value: '', label: withDefault }] : []), ...values.map((x) => ({ value: x, label: x }))];
  return fieldBox(label, select(options, s.v[key] ?? '', (value) => {
    s.v[key] = value;
    if (rerender) render();
    else touch(path);
  }, { 'data-testid': `f-${key}` }), path);
}

function columnOptions(withNone: boolean): { value: string; label: string }[] {
  return [...(withNone ? [{ value: '', label: t('(none)') }] : [{ value: '', label: '—' }]), ...columns.map((c) => ({ value: c.key, label: `${c.key} (${c.valtype})` }))];
}

function mappingEditor(s: State, key: MappingKey, label: string): HTMLElement {
  const path = `spec.${key}`;
  const box = el('div', { class: 'field', 'data-field': path, 'data-testid': `map-${key}` });
  box.append(el('h2', {}, label));
  s.mappings[key].forEach((row, i) => {
    const r = el('div', { class: 'mapping-row' });
    r.append(
      fieldBox(t('Target field'), textField(row.target, (value) => {
        row.target = value;
        touch(`spec.${key}[${i}]`);
      }, { 'data-testid': `map-${key}-${i}-target` }), `spec.${key}[${i}]`),
      fieldBox(t('Job column'), select(columnOptions(false), row.source, (value) => {
        row.source = value;
        touch(`spec.${key}[${i}]`);
      }, { 'data-testid': `map-${key}-${i}-source` }), `spec.${key}[${i}].source`),
      button(t('Remove'), () => {
        s.mappings[key].splice(i, 1);
        render();
      }, { secondary: '' }),
    );
    box.append(r);
  });
  box.append(el('div', { class: 'error', 'data-error-for': path, role: 'alert' }));
  const add = el('div', { class: 'toolbar' });
  add.append(button(t('Add Mapping'), () => {
    s.mappings[key].push({ target: columns[s.mappings[key].length]?.key ?? '', source: columns[s.mappings[key].length]?.key ?? '' });
    touched.add(path);
    render();
  }, { secondary: '', 'data-testid': `map-${key}-add` }));
  box.append(add);
  return box;
}

function fileFields(s: State, withHeader: boolean): HTMLElement[] {
  const format = (s.v.format || 'json') as ExportFormat;
  const allowed = COMPRESSIONS[format] ?? COMPRESSIONS.json;
  if (s.v.compression && !allowed.includes(s.v.compression)) s.v.compression = 'none';
  const out: HTMLElement[] = [];
  const row = el('div', { class: 'grid-row' });
  row.append(choice(s, 'format', t('Format'), 'spec.format', EXPORT_FORMATS, t('(default)'), true), fieldBox(t('Compression'), select([{ value: '', label: t('(default)') }, ...allowed.map((c) => ({ value: c, label: c }))], s.v.compression ?? '', (value) => {
    s.v.compression = value;
    touch('spec.compression');
  }, { 'data-testid': 'f-compression' }), 'spec.compression'));
  out.push(row);
  if (s.v.format === 'csv') {
    const csv = el('div', { class: 'grid-row' });
    csv.append(text(s, 'delimiter', t('Delimiter'), 'spec.delimiter', { placeholder: ',' }));
    if (withHeader) {
      const box = el('div', { class: 'field', 'data-field': 'spec.containsHeader' });
      box.append(checkbox(t('Contains header'), s.flags.containsHeader, (c) => {
        s.flags.containsHeader = c;
        touch('spec.containsHeader');
      }), el('div', { class: 'error', 'data-error-for': 'spec.containsHeader' }));
      csv.append(box);
    }
    out.push(csv);
  }
  const partition = el('div', { class: 'field', 'data-field': 'spec.partitionBy' });
  partition.append(el('h2', {}, t('Partition by')));
  const checks = el('div', { class: 'checks' });
  for (const c of columns) {
    checks.append(checkbox(c.key, s.partitionBy.includes(c.key), (on) => {
      s.partitionBy = on ? [...s.partitionBy, c.key] : s.partitionBy.filter((x) => x !== c.key);
      touch('spec.partitionBy');
    }));
  }
  partition.append(checks, el('div', { class: 'error', 'data-error-for': 'spec.partitionBy' }));
  out.push(partition);
  const counts = el('div', { class: 'grid-row' });
  counts.append(text(s, 'fileCount', t('File count'), 'spec.fileCount', { type: 'number', min: '1', max: '1000' }), choice(s, 'saveMode', t('Save mode'), 'spec.saveMode', SAVE_MODES, t('(default)')));
  out.push(counts);
  return out;
}

function flag(s: State, key: keyof State['flags'], label: string): HTMLElement {
  const box = el('div', { class: 'field', 'data-field': `spec.${key}` });
  box.append(checkbox(label, s.flags[key], (c) => {
    s.flags[key] = c;
    touch(`spec.${key}`);
  }, { 'data-testid': `f-${key}` }), el('div', { class: 'error', 'data-error-for': `spec.${key}` }));
  return box;
}

function typeFields(s: State): HTMLElement[] {
  switch (s.type) {
    case 'kodo':
      return [text(s, 'bucket', t('Bucket'), 'spec.bucket'), text(s, 'keyPrefix', t('Key prefix'), 'spec.keyPrefix', { placeholder: 'export/$(year)-$(mon)-$(day)/' }), ...fileFields(s, true), text(s, 'retention', t('Retention (days)'), 'spec.retention', { type: 'number' })];
    case 'hdfs':
      return [text(s, 'path', t('Path'), 'spec.path', { placeholder: 'hdfs://192.168.1.1:9000/usr/local' }), ...fileFields(s, false)];
    case 'http':
      return [text(s, 'host', t('Host'), 'spec.host', { placeholder: '127.0.0.1:7758' }), text(s, 'uri', t('URI'), 'spec.uri', { placeholder: '/test/repos' }), choice(s, 'httpFormat', t('Format'), 'spec.format', HTTP_FORMATS, t('(default)'))];
    case 'logdb':
      return [text(s, 'destRepoName', t('Repository'), 'spec.destRepoName'), flag(s, 'omitInvalid', t('Omit invalid data')), mappingEditor(s, 'doc', t('Document fields'))];
    case 'tsdb':
      return [
        text(s, 'destRepoName', t('Repository'), 'spec.destRepoName'),
        flag(s, 'omitInvalid', t('Omit invalid data')),
        text(s, 'series', t('Series'), 'spec.series'),
        mappingEditor(s, 'tags', t('Tags')),
        mappingEditor(s, 'fields', t('Fields')),
        fieldBox(t('Timestamp column'), select(columnOptions(true), s.v.timestamp ?? '', (value) => {
          s.v.timestamp = value;
          touch('spec.timestamp');
        }), 'spec.timestamp'),
      ];
    case 'report':
      return [text(s, 'database', t('Database'), 'spec.database'), text(s, 'table', t('Table'), 'spec.table'), flag(s, 'autoCreation', t('Create database and table automatically')), mappingEditor(s, 'columns', t('Columns')), choice(s, 'reportSaveMode', t('Save mode'), 'spec.saveMode', REPORT_SAVE_MODES, t('(default)'))];
  }
}

async function save(): Promise<void> {
  if (!state || busy) return;
  submitted = true;
  refreshErrors();
  if (Object.keys(currentErrors()).length) {
    saveFailed({});
    return;
  }
  busy = true;
  statusLine.className = 'status';
  statusLine.textContent = t('Saving…');
  const response = await channel.request('save', { name: state.name.trim(), body: exportBody(state) });
  busy = false;
  if (response.ok && response.result) {
    state.mode = 'edit';
    drafts.saved(draftOf(state));
    render();
    statusLine.className = 'banner-ok';
    statusLine.textContent = response.result.message;
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
  app.append(el('h1', {}, s.mode === 'create' ? t('New Export of {0}', s.jobName) : t('Export {0} of {1}', s.name, s.jobName)));
  if (columns.length === 0) app.append(el('div', { class: 'hint' }, t('The job has no output schema yet: save the job with its SQL first.')));
  const head = el('div', { class: 'grid-row' });
  const name = textField(s.name, (value) => {
    s.name = value;
    touch('name');
  }, { 'data-testid': 'export-name' });
  const type = select(EXPORT_TYPES.map((x) => ({ value: x, label: t(TYPE_LABELS[x]) })), s.type, (value) => {
    s.type = (EXPORT_TYPES as readonly string[]).includes(value) ? (value as ExportType) : 'kodo';
    render();
  }, { 'data-testid': 'export-type' });
  if (s.mode === 'edit') {
    name.disabled = true;
    type.disabled = true;
  }
  head.append(fieldBox(t('Name'), name, 'name'), fieldBox(t('Type'), type, 'type'));
  const section = el('section', { 'data-testid': `fields-${s.type}` });
  section.append(...typeFields(s));
  // Save and Cancel stay at the top of a long form, with what the last save said (its errors too).
  const bar = el('div', { class: 'form-bar' });
  const actions = el('div', { class: 'actions' });
  actions.append(button(t('Save'), () => void save(), { 'data-testid': 'save' }), button(t('Cancel'), () => channel.post({ type: 'cancel' }), { secondary: '', 'data-testid': 'cancel' }));
  const previous = statusLine as HTMLElement | undefined;
  statusLine = el('div', { class: previous?.className ?? 'status', role: 'status', 'data-testid': 'status' }, previous?.textContent ?? '');
  banner = el('div', { role: 'alert', 'data-testid': 'banner' });
  bar.append(actions, statusLine, banner);
  app.insertBefore(bar, app.querySelector('h1')?.nextSibling ?? null);
  app.append(head, section);
  refreshErrors();
  window.scrollTo(0, scrollY);
}

function stateOf(init: ExportEditorInit, draft: ExportDraft): State {
  const spec: Record<string, unknown> = draft.body.spec;
  const str = (k: string): string => (spec[k] === undefined || spec[k] === null ? '' : String(spec[k]));
  const rows = (k: string): Mapping[] => Object.entries((spec[k] as Record<string, string> | undefined) ?? {}).map(([target, source]) => ({ target, source: String(source) }));
  const type = draft.body.type;
  return {
    mode: init.mode,
    jobName: init.jobName,
    name: draft.name,
    type,
    v: {
      bucket: str('bucket'), keyPrefix: str('keyPrefix'), path: str('path'), format: type === 'http' ? '' : str('format'), delimiter: str('delimiter'),
      compression: str('compression'), retention: str('retention'), fileCount: str('fileCount') || '1', saveMode: type === 'report' ? '' : str('saveMode'),
      host: str('host'), uri: str('uri'), httpFormat: type === 'http' ? str('format') : '', destRepoName: str('destRepoName'), series: str('series'),
      timestamp: str('timestamp'), database: str('database'), table: str('table'), reportSaveMode: type === 'report' ? str('saveMode') : '',
    },
    flags: { containsHeader: spec.containsHeader === true, omitInvalid: spec.omitInvalid === true, autoCreation: spec.autoCreation !== false },
    partitionBy: Array.isArray(spec.partitionBy) ? spec.partitionBy.map(String) : [],
    mappings: { doc: rows('doc'), tags: rows('tags'), fields: rows('fields'), columns: rows('columns') },
  };
}

function start(init: ExportEditorInit): void {
  texts = new Texts(init.strings);
  columns = init.columns;
  // What the host holds is the baseline; unsaved edits it kept (a reload, a close answered Cancel) go on top.
  state = stateOf(init, init.restored ?? init.draft);
  drafts.saved(draftOf(stateOf(init, init.draft)));
  render();
  if (init.errors) {
    submitted = true;
    saveFailed(init.errors);
  } else focusFirst(app, 'vscode-textfield:not([disabled]), vscode-single-select:not([disabled])');
}

formKeys(() => void save(), () => channel.post({ type: 'cancel' }));

document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
    e.preventDefault();
    void save();
  }
});

const channel = connectPage<ExportEditorHostMessage, ExportEditorPageMessage, ExportEditorState>({
  hostSchema: exportEditorHostSchema,
  onMessage: (message) => {
    if (message.type === 'init') start(message);
  },
  onFailure: (errors) => {
    if (!state) app.textContent = Object.values(errors).join('\n');
    else refreshErrors(errors);
  },
});
