// The shape every webview message shares (a ready handshake, request ids) and helpers the host uses to validate them.

/** Sent by the page once its script has loaded; the host answers with the page's initial data. */
export interface ReadyMessage {
  type: 'ready';
}

/** A request from the page that expects one `response` with the same id. */
export interface RequestEnvelope<T extends string, P> {
  type: T;
  requestId: number;
  payload: P;
}

export interface ResponseMessage<R> {
  type: 'response';
  requestId: number;
  ok: boolean;
  result?: R;
  /** Field-level errors to show next to the fields; `_form` for the form as a whole. */
  errors?: Record<string, string>;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `message.type` when it is one of `types`; undefined means the message is refused. */
export function messageType<T extends string>(message: unknown, types: readonly T[]): T | undefined {
  if (!isObject(message) || typeof message.type !== 'string') return undefined;
  return (types as readonly string[]).includes(message.type) ? (message.type as T) : undefined;
}

export function requestIdOf(message: unknown): number | undefined {
  if (!isObject(message)) return undefined;
  const id = message.requestId;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined;
}
