// The page's side of the messages: posts what the page's schema allows, checks every host message against the host's
// schema (the same schema the host is typed with), pairs requests with their responses, and shows a failed start (the
// host's initFailed, or the page's own error) with Retry instead of a blank page.
import * as v from 'valibot';
import { parseWith, type FieldErrors, type InitFailedMessage } from '../messages';
import { custom, el } from './_dom';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; setState(state: unknown): void };

/** The host's answer to a request. */
export interface Response<R> {
  type: 'response';
  requestId: number;
  ok: boolean;
  result?: R;
  errors?: FieldErrors;
}

type RequestOf<PageMsg> = Extract<PageMsg, { type: string; requestId: number; payload: unknown }>;
type ResultOf<HostMsg> = Extract<HostMsg, { type: 'response' }> extends { result?: infer R } ? R : never;

export interface PageChannel<HostMsg, PageMsg, State> {
  post(message: PageMsg): void;
  /** Sends a request and resolves with the host's response of the same id. */
  request<T extends RequestOf<PageMsg>['type']>(type: T, payload: Extract<RequestOf<PageMsg>, { type: T }>['payload']): Promise<Response<ResultOf<HostMsg>>>;
  /** Keeps `state` in the webview's state: the host's panel serializer gets it back after a window reload. */
  setState(state: State): void;
}

export interface ConnectOptions<HostMsg> {
  /** The schema of what the host sends (its types are the page's too). */
  hostSchema: v.GenericSchema<unknown, HostMsg>;
  /** Every host message but responses and initFailed; a throw while handling `init` shows the error with Retry. */
  onMessage(message: Exclude<HostMsg, { type: 'response' } | InitFailedMessage>): void;
  /** A failed response no request waits for. */
  onFailure?(errors: FieldErrors): void;
}

const app = (): HTMLElement => document.getElementById('app') ?? document.body;

/** Connects the page to its host, then says `ready`. */
export function connectPage<HostMsg extends { type: string }, PageMsg extends { type: string }, State>(options: ConnectOptions<HostMsg>): PageChannel<HostMsg, PageMsg, State> {
  const api = acquireVsCodeApi();
  let nextRequestId = 1;
  const pending = new Map<number, (response: Response<ResultOf<HostMsg>>) => void>();
  const ready = (): void => api.postMessage({ type: 'ready' });

  /**
   * The page could not start: which page (when the host says), the error, what to do about it (when the host knows),
   * and Retry (which asks the host for the page's data again).
   */
  const showFailure = (failure: { message: string; title?: string; hint?: string }): void => {
    const root = app();
    const retry = custom('vscode-button', {}, root.dataset.retry ?? 'Retry');
    retry.addEventListener('click', () => {
      root.replaceChildren();
      root.setAttribute('aria-busy', 'true');
      ready();
    });
    const box = el('div', { class: 'init-failed', role: 'alert', 'data-testid': 'init-failed' });
    if (failure.title !== undefined) box.append(el('h2', {}, failure.title));
    box.append(el('p', { 'data-testid': 'init-failed-message' }, failure.message));
    if (failure.hint !== undefined) box.append(el('p', { 'data-testid': 'init-failed-hint' }, failure.hint));
    box.append(retry);
    root.replaceChildren(box);
    root.removeAttribute('aria-busy');
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = parseWith(options.hostSchema, event.data);
    if (!parsed.ok) {
      console.warn(`refused a host message: ${parsed.problem}`);
      return;
    }
    const message = parsed.value;
    if (isResponse<ResultOf<HostMsg>>(message)) {
      const resolve = pending.get(message.requestId);
      if (resolve) {
        pending.delete(message.requestId);
        resolve(message);
      } else if (!message.ok) options.onFailure?.(message.errors ?? {});
      return;
    }
    if (isInitFailed(message)) {
      showFailure(message);
      return;
    }
    try {
      options.onMessage(message as Exclude<HostMsg, { type: 'response' } | InitFailedMessage>);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      api.postMessage({ type: 'initFailed', message: text.slice(0, 4096) });
      showFailure({ message: text });
    }
  });
  ready();

  return {
    post: (message) => api.postMessage(message),
    request: (type, payload) => {
      const requestId = nextRequestId++;
      return new Promise((resolve) => {
        pending.set(requestId, resolve);
        api.postMessage({ type, requestId, payload });
      });
    },
    setState: (state) => api.setState(state),
  };
}

function isResponse<R>(message: { type: string }): message is Response<R> {
  return message.type === 'response';
}

function isInitFailed(message: { type: string }): message is InitFailedMessage {
  return message.type === 'initFailed';
}
