// The connector form's message protocol, shared by the host (panel controller) and the page; the host parses every message with it.
import { SourceType, type Connector, type ConnectorInput } from '../api/ingest/types';
import type { FieldProblem } from '../api/ingest/validation';
import { isObject, requestIdOf, type ReadyMessage, type RequestEnvelope, type ResponseMessage } from './messages';

export type FormSourceType = 'oss' | 's3';

/** Every field of the form, as strings and a boolean; the secret is always '' when sent to the page. */
export interface ConnectorFormValues {
  name: string;
  sourceType: FormSourceType;
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  bucketName: string;
  region: string;
  pathStyle: boolean;
}

export type FormField = keyof ConnectorFormValues;

/** The translated texts of the page (the page has no l10n of its own). */
export interface FormStrings {
  title: string;
  name: string;
  sourceType: string;
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  secretKeepHint: string;
  bucketName: string;
  region: string;
  pathStyle: string;
  validate: string;
  save: string;
  cancel: string;
  working: string;
  /** "Could not save: {0}" with the problems of a failed save, at the top of the form. */
  couldNotSave: string;
  problems: Record<FieldProblem, string>;
}

export interface InitMessage {
  type: 'init';
  mode: 'create' | 'edit';
  /** The connector being edited (null: a new one), for the state the page keeps. */
  connector: number | null;
  values: ConnectorFormValues;
  strings: FormStrings;
  /** Unsaved edits to show instead of `values` (after a window reload, or a close answered Cancel); never a secret. */
  restored?: ConnectorFormValues;
  /** Field errors of the save that failed when the panel was closed (shown at once). */
  errors?: Record<string, string>;
}

/** What the page keeps in the webview's state for the panel serializer: never the secret (it is always ''). */
export interface ConnectorFormState {
  /** The connector being edited; null for a new one. */
  connector: number | null;
  draft?: ConnectorFormValues;
}

/** The form changed: its values (the secret included, for Save on close; kept in memory only), or null once unchanged. */
export interface DraftMessage {
  type: 'draft';
  draft: ConnectorFormValues | null;
}

export type ValidateRequest = RequestEnvelope<'validate', ConnectorFormValues>;
export type SaveRequest = RequestEnvelope<'save', ConnectorFormValues>;
export interface CancelMessage {
  type: 'cancel';
}

/** What the page may send. */
export type PageMessage = ReadyMessage | ValidateRequest | SaveRequest | CancelMessage | DraftMessage;

export interface FormResult {
  /** Shown in the banner. */
  message: string;
  valid?: boolean;
  saved?: boolean;
}

/** What the host sends. */
export type HostMessage = InitMessage | ResponseMessage<FormResult>;

const STRING_FIELDS = ['name', 'endpoint', 'accessKeyId', 'accessKeySecret', 'bucketName', 'region'] as const;
const MAX_FIELD_LENGTH = 4096;

/** The form values when `value` has exactly the right shape and types, else undefined. */
export function parseFormValues(value: unknown): ConnectorFormValues | undefined {
  if (!isObject(value)) return undefined;
  const allowed = new Set<string>([...STRING_FIELDS, 'sourceType', 'pathStyle']);
  if (Object.keys(value).some((k) => !allowed.has(k))) return undefined;
  for (const f of STRING_FIELDS) if (typeof value[f] !== 'string' || (value[f] as string).length > MAX_FIELD_LENGTH) return undefined;
  if (value.sourceType !== 'oss' && value.sourceType !== 's3') return undefined;
  if (typeof value.pathStyle !== 'boolean') return undefined;
  return {
    name: value.name as string,
    sourceType: value.sourceType,
    endpoint: value.endpoint as string,
    accessKeyId: value.accessKeyId as string,
    accessKeySecret: value.accessKeySecret as string,
    bucketName: value.bucketName as string,
    region: value.region as string,
    pathStyle: value.pathStyle,
  };
}

/** The page's message when it is one the host understands, with every field checked; undefined = refused. */
export function parsePageMessage(message: unknown): PageMessage | undefined {
  if (!isObject(message) || typeof message.type !== 'string') return undefined;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'cancel':
      return { type: 'cancel' };
    case 'draft': {
      if (message.draft === null) return { type: 'draft', draft: null };
      const draft = parseFormValues(message.draft);
      return draft ? { type: 'draft', draft } : undefined;
    }
    case 'validate':
    case 'save': {
      const requestId = requestIdOf(message);
      const payload = parseFormValues(message.payload);
      if (requestId === undefined || !payload) return undefined;
      return { type: message.type, requestId, payload };
    }
    default:
      return undefined;
  }
}

/** The webview state the serializer was given, its secret dropped whatever it says; undefined when not one the page wrote. */
export function parseConnectorFormState(state: unknown): ConnectorFormState | undefined {
  if (!isObject(state)) return undefined;
  const id = state.connector;
  if (id !== null && (typeof id !== 'number' || !Number.isSafeInteger(id))) return undefined;
  if (state.draft === undefined) return { connector: id };
  const draft = parseFormValues(state.draft);
  return draft ? { connector: id, draft: { ...draft, accessKeySecret: '' } } : undefined;
}

export function toConnectorInput(values: ConnectorFormValues): ConnectorInput {
  const s3 = values.sourceType === 's3';
  return {
    name: values.name,
    sourceType: s3 ? SourceType.S3 : SourceType.OSS,
    endpoint: values.endpoint,
    accessKeyId: values.accessKeyId,
    accessKeySecret: values.accessKeySecret,
    bucketName: values.bucketName,
    region: s3 ? values.region : undefined,
    pathStyle: s3 ? values.pathStyle : undefined,
  };
}

/** The edit form's starting values: everything but the secret, which is never sent to the page. */
export function formValuesOf(c: Connector | undefined): ConnectorFormValues {
  return {
    name: c?.name ?? '',
    sourceType: c?.sourceType === SourceType.S3 ? 's3' : 'oss',
    endpoint: c?.endpoint ?? '',
    accessKeyId: c?.accessKeyId ?? '',
    accessKeySecret: '',
    bucketName: c?.bucketName ?? '',
    region: c?.region ?? '',
    pathStyle: c?.pathStyle ?? false,
  };
}
