// The export spec editor page (browser): a type selector showing only that type's fields, compression choices
// that follow the format, mapping rows whose values pick from the job's output schema; errors as you type.
import { COMPRESSIONS, EXPORT_FORMATS, EXPORT_TYPES, HTTP_FORMATS, REPORT_SAVE_MODES, SAVE_MODES, type ExportFormat, type ExportType, type SchemaField } from '../../api/pandora/types';
import { issuesByField, validateExport } from '../../api/pandora/validation';
import { exportEditorHostSchema, type ExportDraft, type ExportEditorHostMessage, type ExportEditorInit, type ExportEditorPageMessage, type ExportEditorState } from '../exportEditorProtocol';
import { connectPage } from './_channel';
import { el } from './_dom';
import { EditorForm } from './_editorForm';
import { draftOf, exportBody, stateOf, type MappingKey, type State } from './_exportState';
import { DraftTracker } from './_formKit';
import { button, checkBox, checkbox, errorSlot, fieldBox, removeButton, select, textField } from './_pandoraForm';

const app = document.getElementById('app') as HTMLElement;
let columns: SchemaField[] = [];
let state: State | undefined;
const form: EditorForm<ExportDraft, { message: string } | undefined> = new EditorForm(app, {
  errors: (): Record<string, string> => currentErrors(),
  draft: () => (state ? draftOf(state) : undefined),
  /** Unsaved edits: the host shows ● and asks on close; the webview state keeps them over a window reload. */
  drafts: new DraftTracker<ExportDraft>(
    (draft) => channel.post({ type: 'draft', draft }),
    (draft) => {
      if (state) channel.setState({ job: state.jobName, export: state.mode === 'edit' ? state.name : null, ...(draft ? { draft } : {}) } satisfies ExportEditorState);
    },
  ),
  render: () => render(),
  cancel: () => channel.post({ type: 'cancel' }),
  send: (draft) => channel.request('save', draft),
  saved: (result) => {
    if (!state || !result) return undefined;
    state.mode = 'edit';
    return result.message;
  },
});
const { t } = form;
const touch = (path: string): void => form.touch(path);

const TYPE_LABELS: Record<ExportType, string> = {
  kodo: 'kodo — Kodo object storage',
  hdfs: 'hdfs — HDFS',
  http: 'http — HTTP endpoint',
  logdb: 'logdb — log search repository',
  tsdb: 'tsdb — time-series database',
  report: 'report — report platform',
};

function currentErrors(): Record<string, string> {
  if (!state) return {};
  const columnNames = columns.length ? columns.map((c) => c.key) : undefined;
  const errors = issuesByField(validateExport(state.name.trim(), exportBody(state), columnNames), form.texts.translate);
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
      removeButton(t('Remove'), s.mappings[key], i, render),
    );
    box.append(r);
  });
  box.append(errorSlot(path));
  const add = el('div', { class: 'toolbar' });
  add.append(button(t('Add Mapping'), () => {
    s.mappings[key].push({ target: columns[s.mappings[key].length]?.key ?? '', source: columns[s.mappings[key].length]?.key ?? '' });
    form.markTouched(path);
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
      csv.append(checkBox(checkbox(t('Contains header'), s.flags.containsHeader, (c) => {
        s.flags.containsHeader = c;
        touch('spec.containsHeader');
      }), 'spec.containsHeader'));
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
  partition.append(checks, errorSlot('spec.partitionBy', false));
  out.push(partition);
  const counts = el('div', { class: 'grid-row' });
  counts.append(text(s, 'fileCount', t('File count'), 'spec.fileCount', { type: 'number', min: '1', max: '1000' }), choice(s, 'saveMode', t('Save mode'), 'spec.saveMode', SAVE_MODES, t('(default)')));
  out.push(counts);
  return out;
}

function flag(s: State, key: keyof State['flags'], label: string): HTMLElement {
  return checkBox(checkbox(label, s.flags[key], (c) => {
    s.flags[key] = c;
    touch(`spec.${key}`);
  }, { 'data-testid': `f-${key}` }), `spec.${key}`);
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
  app.insertBefore(form.bar(), app.querySelector('h1')?.nextSibling ?? null);
  app.append(head, section);
  form.refreshErrors();
  window.scrollTo(0, scrollY);
}

function start(init: ExportEditorInit): void {
  columns = init.columns;
  // What the host holds is the baseline; unsaved edits it kept (a reload, a close answered Cancel) go on top.
  state = stateOf(init, init.restored ?? init.draft);
  form.start(init.strings, draftOf(stateOf(init, init.draft)), init.errors, 'vscode-textfield:not([disabled]), vscode-single-select:not([disabled])');
}

const channel = connectPage<ExportEditorHostMessage, ExportEditorPageMessage, ExportEditorState>({
  hostSchema: exportEditorHostSchema,
  onMessage: (message) => {
    if (message.type === 'init') start(message);
  },
  onFailure: (errors) => form.failed(errors),
});
