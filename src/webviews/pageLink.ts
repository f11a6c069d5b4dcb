// How a panel hears its page and posts to it: the webview itself. Only in test mode does the composition root give the
// panels another link (watchedPages.ts), through which the integration tests see and post what the page would.
import type * as vscode from 'vscode';

export interface PageLink {
  /** Hands `receive` every message the page of `panel` posts (`receive` resolves once the host has handled it). */
  listen(panel: object, webview: vscode.Webview, receive: (raw: unknown) => Promise<unknown>): vscode.Disposable;
  /** Posts `message` to the page of `panel`. */
  post(panel: object, webview: vscode.Webview, message: { type: string }): Thenable<boolean>;
}

/** The webview itself, as outside test mode. */
export const webviewLink: PageLink = {
  listen: (_panel, webview, receive) => webview.onDidReceiveMessage((raw: unknown) => void receive(raw)),
  post: (_panel, webview, message) => webview.postMessage(message),
};
