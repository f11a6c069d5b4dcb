// Builds a webview page: CSP default-src 'none' with a fresh nonce, the shared elements bundle and the page's script, the shared CSS.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPageOptions {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  /** The bundle name under dist/webviews/, e.g. "jobEditor" for dist/webviews/jobEditor.js. */
  script: string;
  title: string;
  /** HTML lang attribute (vscode.env.language). */
  lang?: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

/** Options for createWebviewPanel: scripts enabled, resources limited to the build output and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The vscode-elements every page shares (src/webviews/ui/elements.ts), loaded before the page's script. */
export const ELEMENTS_BUNDLE = 'elements';

/**
 * The page holds no data: everything arrives through postMessage after the `ready` handshake. `data-retry` is the
 * label of the Retry button a page shows when it could not start (before the host has sent it any text).
 */
export function renderWebviewPage(options: WebviewPageOptions): string {
  const { webview, extensionUri } = options;
  const nonce = newNonce();
  const script = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', `${name}.js`)).toString();
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(options.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri.toString()}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<main id="app" aria-busy="true" data-retry="${escapeHtml(vscode.l10n.t('Retry'))}"></main>
<script nonce="${nonce}" src="${script(ELEMENTS_BUNDLE)}"></script>
<script nonce="${nonce}" src="${script(options.script)}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
