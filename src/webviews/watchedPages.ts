// Test mode only (ExtensionMode.Test): the link between panels and their pages that also keeps, per panel, which
// messages its page itself posted and the last message of each type the host posted to it, and lets the integration
// tests post a message as the page would (src/platform/testing.ts hands them a PagePort).
import type * as vscode from 'vscode';
import { isJsonObject } from '../api/json';
import type { PagePort } from '../extensionApi';
import { webviewLink, type PageLink } from './pageLink';

interface Watched {
  receive: (raw: unknown) => Promise<unknown>;
  /** The types of the messages the page's own script posted (and the host has handled). */
  fromPage: Set<string>;
  /** The last message of each type posted to the page. */
  posted: Map<string, unknown>;
}

export class WatchedPages implements PageLink {
  private readonly pages = new WeakMap<object, Watched>();

  listen(panel: object, webview: vscode.Webview, receive: (raw: unknown) => Promise<unknown>): vscode.Disposable {
    const watched: Watched = { receive, fromPage: new Set(), posted: this.pages.get(panel)?.posted ?? new Map() };
    this.pages.set(panel, watched);
    return webview.onDidReceiveMessage((raw: unknown) => {
      void receive(raw).finally(() => {
        if (isJsonObject(raw) && typeof raw.type === 'string') watched.fromPage.add(raw.type);
      });
    });
  }

  post(panel: object, webview: vscode.Webview, message: { type: string }): Thenable<boolean> {
    const watched = this.pages.get(panel);
    watched?.posted.set(message.type, message);
    return webviewLink.post(panel, webview, message);
  }

  /** What a test sees of `panel`'s page; undefined when there is no such panel. */
  port(panel: object | undefined): PagePort | undefined {
    const watched = panel && this.pages.get(panel);
    if (!watched) return undefined;
    return {
      post: (message) => watched.receive(message),
      pagePosted: (type) => watched.fromPage.has(type),
      lastPosted: (type) => watched.posted.get(type),
    };
  }
}
