// The base of every webview panel: creates (or takes over a revived) WebviewPanel with the CSP page, checks every message
// the page posts against the page's schema, answers `ready` with the page's data or `initFailed`, keeps the unsaved draft
// (● in the title, "Save changes?" on close) and disposes everything it made. The open panels live in a PanelRegistry
// that the area creates at activation and passes in; nothing is kept in module or static state.
import type * as v from 'valibot';
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import { isJsonObject } from '../api/json';
import type { Logger } from '../api/logger';
import type { Prompts } from '../platform/prompts';
import { PanelDraft, settleClosedDraft } from './drafts';
import type { Backend } from '../platform/settings';
import { renderWebviewPage, webviewOptions } from './html';
import { initFailure } from './initFailure';
import { parseWith, type FieldErrors, type InitFailedMessage, type ResponseMessage } from './messages';
import type { PageLink } from './pageLink';
import type { PanelRegistry } from './registry';

/** What every panel uses from its area. */
export interface PanelServices {
  extensionUri: vscode.Uri;
  logger: Logger;
  /** Asks "Save changes?" when a panel with unsaved edits is closed. */
  prompts: Prompts;
  /** How panels hear their pages and post to them (the webview itself, but in test mode). */
  pages: PageLink;
  /** A backend's endpoint as set now, for the words of a page that could not load. */
  endpoint: (backend: Backend) => string;
}

/** One kind of page: its view type, its script bundle and the schema of what it may post. */
export interface PageDefinition<PageMsg> {
  viewType: string;
  /** The bundle name under dist/webviews/, e.g. "jobEditor". */
  script: string;
  /** How the log names the panel, e.g. "pandora job editor". */
  logName: string;
  schema: v.GenericSchema<unknown, PageMsg>;
}

/** What every editor page posts the same way (its draft, Cancel, a script that failed to start): the base handles it. */
export type CommonPageMessage<Draft> = { type: 'draft'; draft: Draft | null } | { type: 'cancel' } | InitFailedMessage;

/** What the base itself may post, whatever the page: a failed load, or the answer to a refused request. */
export type BaseHostMessage = InitFailedMessage | ResponseMessage<never>;

/** What a closed panel's unsaved draft can still do; taken as the panel closes (its target as it was then). */
export interface ClosedPanel<Draft> {
  save(draft: Draft): Promise<FieldErrors | undefined>;
  reopen(draft: Draft, errors?: FieldErrors): void;
}

export const refusedErrors = (): FieldErrors => ({ _form: vscode.l10n.t('The page sent a message the editor does not accept; it was ignored.') });

export abstract class Panel<HostMsg extends { type: string }, PageMsg extends { type: string }, Draft> implements vscode.Disposable {
  protected readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly unsaved: PanelDraft<Draft>;
  private disposed = false;

  /**
   * `title` is the first title (the subclass's own fields are not set yet while this runs); `draft` the unsaved edits the
   * panel opens with.
   */
  protected constructor(
    private readonly page: PageDefinition<PageMsg>,
    protected readonly services: PanelServices,
    private readonly registry: PanelRegistry<Panel<HostMsg, PageMsg, Draft>>,
    key: string,
    title: string,
    revived: vscode.WebviewPanel | undefined,
    draft: Draft | undefined,
  ) {
    const options = webviewOptions(services.extensionUri);
    this.panel = revived ?? vscode.window.createWebviewPanel(page.viewType, title, vscode.ViewColumn.Active, options);
    if (revived) revived.webview.options = options;
    this.unsaved = new PanelDraft(this.panel, () => this.title(), draft, title);
    this.panel.webview.html = renderWebviewPage({ webview: this.panel.webview, extensionUri: services.extensionUri, script: page.script, title, lang: vscode.env.language });
    this.disposables.push(
      services.pages.listen(this, this.panel.webview, (m) => this.handle(m)),
      this.panel.onDidDispose(() => this.closed()),
    );
    registry.set(key, this);
  }

  /** The tab title without the ● mark. */
  protected abstract title(): string;

  /** Handles a message the schema accepted, other than the common ones; resolves to what was posted back. */
  protected abstract receive(message: PageMsg): Promise<HostMsg | BaseHostMessage | undefined>;

  /** Taken as the panel closes with unsaved edits: how to save them, how to reopen the panel with them. */
  protected abstract closedPanel(): ClosedPanel<Draft>;

  reveal(): void {
    this.panel.reveal();
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Disposed with the panel. */
  protected track(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  /** The panel now stands for another target (a new job or export that was just saved). */
  protected rekey(key: string): void {
    this.registry.set(key, this);
    this.unsaved.retitle();
  }

  protected get draft(): Draft | undefined {
    return this.unsaved.current;
  }

  /** The page's draft; null once the form matches what was saved. */
  protected setDraft(draft: Draft | null): void {
    this.unsaved.set(draft ?? undefined);
  }

  protected async post<M extends HostMsg | BaseHostMessage>(message: M): Promise<M> {
    if (!this.disposed) await this.services.pages.post(this, this.panel.webview, message);
    return message;
  }

  /** Answers `ready` (the page loaded, or its Retry): the page's data, or why it could not be loaded. */
  protected async sendInit(load: () => Promise<HostMsg>): Promise<HostMsg | InitFailedMessage> {
    let init: HostMsg;
    try {
      init = await load();
    } catch (err) {
      this.services.logger.error(`${this.page.logName}: could not load the page's data: ${describeError(err)}`);
      return this.post(initFailure(this.title(), err, this.services.endpoint));
    }
    return this.post(init);
  }

  /**
   * The messages every page posts alike: the form's draft (● and "Save changes?"), Cancel (closed as by the tab's ×:
   * with unsaved edits the close asks) and a page script that failed to start (logged; the page shows it with Retry).
   */
  private receiveCommon(message: CommonPageMessage<Draft>): undefined {
    if (message.type === 'draft') this.setDraft(message.draft);
    else if (message.type === 'cancel') this.panel.dispose();
    else this.services.logger.error(`${this.page.logName}: the page failed to start: ${message.message}`);
    return undefined;
  }

  /** Handles one message from the page and resolves to what was posted back (undefined when nothing was). */
  private async handle(raw: unknown): Promise<HostMsg | BaseHostMessage | undefined> {
    const parsed = parseWith(this.page.schema, raw);
    if (parsed.ok) return isCommonPageMessage<Draft>(parsed.value) ? this.receiveCommon(parsed.value) : this.receive(parsed.value);
    // The problem names the field, never its content (a connector form's message holds the secret).
    this.services.logger.warn(`${this.page.logName}: refused a page message: ${parsed.problem}`);
    const requestId = isJsonObject(raw) ? raw.requestId : undefined;
    if (typeof requestId === 'number' && Number.isSafeInteger(requestId) && requestId >= 0) return this.post({ type: 'response', requestId, ok: false, errors: refusedErrors() });
    return undefined;
  }

  /** The panel was closed: with unsaved edits, ask (the close cannot be stopped, so Cancel opens it again with them). */
  private closed(): void {
    const draft = this.unsaved.current;
    const title = this.title();
    const closed = draft === undefined ? undefined : this.closedPanel();
    this.dispose();
    if (draft === undefined || !closed) return;
    void settleClosedDraft({ prompts: this.services.prompts, title, draft, save: (d) => closed.save(d), reopen: (d, errors) => closed.reopen(d, errors) });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.registry.delete(this);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}

/** Whether a message the page's schema accepted is one of the common ones (whose draft is the page's Draft by its schema). */
function isCommonPageMessage<Draft>(message: { type: string }): message is CommonPageMessage<Draft> {
  return message.type === 'draft' || message.type === 'cancel' || message.type === 'initFailed';
}
