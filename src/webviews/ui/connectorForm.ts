// The connector form page (browser): builds the form from the host's `init`, checks fields locally, asks the host to validate or save.
import { connectorInputErrors } from '../../api/ingest/validation';
import { connectorHostSchema, toConnectorInput, type ConnectorFormState, type ConnectorFormValues, type FormField, type HostMessage, type InitMessage, type PageMessage } from '../connectorFormProtocol';
import { connectPage, type Response } from './_channel';
import { custom, el, type CheckElement, type ValueElement } from './_dom';
import { DraftTracker, errorSummary, focusFirst, formKeys, revealFirstError } from './_formKit';

const app = document.getElementById('app') as HTMLElement;
let init: InitMessage | undefined;
const inputs = new Map<FormField, ValueElement>();
const errorSlots = new Map<string, HTMLElement>();
let pathStyle: CheckElement;
let banner: HTMLElement;
let buttons: HTMLElement[] = [];
/**
 * Unsaved edits: the host shows ● and asks on close (it gets the secret too, to save on that answer, and keeps it in
 * memory); the webview state keeps the edits over a window reload without the secret.
 */
const drafts = new DraftTracker<ConnectorFormValues>(
  (draft) => channel.post({ type: 'draft', draft }),
  (draft) => channel.setState({ connector: init?.connector ?? null, ...(draft ? { draft: { ...draft, accessKeySecret: '' } } : {}) }),
);

function field(key: FormField, label: string, attrs: Record<string, string> = {}, hint?: string): HTMLElement {
  const wrap = el('div', { class: 'field', 'data-field': key });
  wrap.append(custom('vscode-label', { for: `f-${key}` }, label));
  const input = custom('vscode-textfield', { id: `f-${key}`, name: key, ...attrs }) as ValueElement;
  inputs.set(key, input);
  wrap.append(input);
  if (hint) wrap.append(el('div', { class: 'hint' }, hint));
  const error = el('div', { class: 'error', id: `e-${key}`, role: 'alert' });
  errorSlots.set(key, error);
  wrap.append(error);
  return wrap;
}

function values(): ConnectorFormValues {
  const v = (k: FormField): string => inputs.get(k)?.value ?? '';
  return {
    name: v('name'),
    sourceType: v('sourceType') === 's3' ? 's3' : 'oss',
    endpoint: v('endpoint'),
    accessKeyId: v('accessKeyId'),
    accessKeySecret: v('accessKeySecret'),
    bucketName: v('bucketName'),
    region: v('region'),
    pathStyle: pathStyle.checked,
  };
}

function showErrors(errors: Record<string, string>): void {
  for (const [key, slot] of errorSlots) slot.textContent = errors[key] ?? '';
  for (const [key, input] of inputs) input.invalid = errors[key] !== undefined;
  setBanner(errors._form ?? '', 'error');
}

/** A failed save or check: each error next to its field, the first one scrolled into view, all of them at the top. */
function showFailure(errors: Record<string, string>): void {
  showErrors(errors);
  const label = (path: string): string => app.querySelector(`[data-field="${path}"] vscode-label`)?.textContent ?? path;
  setBanner((init?.strings.couldNotSave ?? '{0}').replace('{0}', errorSummary(errors, label)), 'error');
  revealFirstError(app);
}

function setBanner(text: string, kind: 'ok' | 'error' | 'info'): void {
  banner.textContent = text;
  banner.className = kind === 'ok' ? 'banner-ok' : kind === 'error' ? 'banner-error' : '';
}

function syncSourceType(): void {
  const s3 = values().sourceType === 's3';
  for (const key of ['region', 'pathStyle']) {
    const row = app.querySelector<HTMLElement>(`[data-field="${key}"]`);
    // The stylesheet hides a hidden `.field` (its display:flex would beat the attribute).
    if (row) row.hidden = !s3;
  }
}

/** Checks locally with the same rules as the host; the host checks again. */
function localErrors(v: ConnectorFormValues): Record<string, string> | undefined {
  if (!init) return undefined;
  const problems = connectorInputErrors(toConnectorInput(v), init.mode === 'create');
  if (!problems.length) return undefined;
  const strings = init.strings;
  return Object.fromEntries(problems.map((p) => [p.field, strings.problems[p.problem]]));
}

async function send(type: 'validate' | 'save'): Promise<void> {
  const v = values();
  const errors = localErrors(v);
  if (errors) {
    showFailure(errors);
    return;
  }
  showErrors({});
  for (const b of buttons) b.setAttribute('disabled', '');
  setBanner(init?.strings.working ?? '…', 'info');
  answered(await channel.request(type, v));
}

/** The host's answer to Validate or Save. */
function answered(response: Response<Extract<HostMessage, { type: 'response' }>['result']>): void {
  for (const b of buttons) b.removeAttribute('disabled');
  if (!response.ok) {
    showFailure(response.errors ?? {});
    return;
  }
  const result = response.result;
  setBanner(result?.message ?? '', result?.valid === false ? 'error' : 'ok');
}

function render(message: InitMessage): void {
  init = message;
  const s = message.strings;
  inputs.clear();
  errorSlots.clear();
  app.replaceChildren();
  app.append(el('h1', {}, s.title));

  const typeRow = el('div', { class: 'field', 'data-field': 'sourceType' });
  typeRow.append(custom('vscode-label', { for: 'f-sourceType' }, s.sourceType));
  const select = custom('vscode-single-select', { id: 'f-sourceType', name: 'sourceType' }) as ValueElement;
  select.append(custom('vscode-option', { value: 'oss' }, 'OSS'), custom('vscode-option', { value: 's3' }, 'S3'));
  inputs.set('sourceType', select);
  typeRow.append(select, el('div', { class: 'error', id: 'e-sourceType' }));
  errorSlots.set('sourceType', typeRow.lastElementChild as HTMLElement);

  const secretHint = message.mode === 'edit' ? s.secretKeepHint : undefined;
  const secretAttrs: Record<string, string> = { type: 'password', autocomplete: 'off' };
  if (secretHint) secretAttrs.placeholder = secretHint;

  const pathRow = el('div', { class: 'field', 'data-field': 'pathStyle' });
  pathStyle = custom('vscode-checkbox', { id: 'f-pathStyle', label: s.pathStyle }) as CheckElement;
  pathRow.append(pathStyle);

  app.append(
    field('name', s.name),
    typeRow,
    field('endpoint', s.endpoint, { placeholder: 'oss-cn-hangzhou.aliyuncs.com' }),
    field('accessKeyId', s.accessKeyId, { autocomplete: 'off' }),
    field('accessKeySecret', s.accessKeySecret, secretAttrs, secretHint),
    field('bucketName', s.bucketName),
    field('region', s.region, { placeholder: 'us-east-1' }),
    pathRow,
  );
  banner = el('div', { id: 'banner', role: 'status' });
  const actions = el('div', { class: 'actions' });
  // Validate, Save and Cancel stay at the top, with what the last request said (its errors too).
  const bar = el('div', { class: 'form-bar' });
  bar.append(actions, banner);
  app.firstElementChild?.after(bar);
  const validate = custom('vscode-button', { id: 'validate', secondary: '' }, s.validate);
  const save = custom('vscode-button', { id: 'save' }, s.save);
  const cancel = custom('vscode-button', { id: 'cancel', secondary: '' }, s.cancel);
  validate.addEventListener('click', () => void send('validate'));
  save.addEventListener('click', () => void send('save'));
  cancel.addEventListener('click', () => channel.post({ type: 'cancel' }));
  buttons = [validate, save];
  actions.append(validate, save, cancel);

  const v = message.restored ?? message.values;
  for (const key of ['name', 'endpoint', 'accessKeyId', 'accessKeySecret', 'bucketName', 'region'] as const) {
    const input = inputs.get(key);
    if (input) input.value = v[key];
  }
  select.value = v.sourceType;
  // The type of a stored connector is fixed: its config lives under `oss` or `s3`.
  if (message.mode === 'edit') select.setAttribute('disabled', '');
  pathStyle.checked = v.pathStyle;
  select.addEventListener('change', syncSourceType);
  syncSourceType();
  app.setAttribute('aria-busy', 'false');
  // The loaded connector is the baseline; edits the host kept (a reload, a close answered Cancel) are on top.
  const loaded = message.values;
  drafts.saved(loaded);
  const changed = (): void => drafts.changed(values());
  for (const input of inputs.values()) {
    input.addEventListener('input', changed);
    input.addEventListener('change', changed);
  }
  pathStyle.addEventListener('change', changed);
  changed();
  if (message.errors) showFailure(message.errors);
  else focusFirst(app, '#f-name');
}

formKeys(
  () => void send('save'),
  () => channel.post({ type: 'cancel' }),
);

const channel = connectPage<HostMessage, PageMessage, ConnectorFormState>({
  hostSchema: connectorHostSchema,
  onMessage: (message) => render(message),
});
