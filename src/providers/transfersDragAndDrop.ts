// Drop files or folders (from the Explorer, or from the operating system where VS Code passes them) on the Transfers
// view: "Upload to Datahub…" starts for them, as from the Explorer's context menu.
import * as vscode from 'vscode';

/** VS Code's mime type for a drag from its own Explorer (and for OS files in the desktop app). */
const URI_LIST = 'text/uri-list';
/** What VS Code names dropped OS files whose paths it knows (DataTransferFile.uri). */
const FILES = 'files';

/** The `file:` URIs of a text/uri-list (RFC 2483: one per line, `#` lines are comments). */
export function urisOfUriList(text: string): vscode.Uri[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => vscode.Uri.parse(line, true))
    .filter((uri) => uri.scheme === 'file');
}

export class TransfersDragAndDrop implements vscode.TreeDragAndDropController<unknown> {
  readonly dropMimeTypes = [URI_LIST, FILES];
  /** Nothing is dragged out of the Transfers view. */
  readonly dragMimeTypes: readonly string[] = [];

  /** @param upload runs "Upload to Datahub…" for the dropped resources (the command's (uri, uris) arguments). */
  constructor(private readonly upload: (uris: vscode.Uri[]) => Thenable<unknown>) {}

  async handleDrop(_target: unknown, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    const uris = await droppedUris(dataTransfer);
    if (token.isCancellationRequested || uris.length === 0) return;
    await this.upload(uris);
  }
}

/** The local files and folders of a drop: the uri-list when there is one, else the files VS Code knows the path of. */
async function droppedUris(dataTransfer: vscode.DataTransfer): Promise<vscode.Uri[]> {
  const list = dataTransfer.get(URI_LIST);
  const fromList = list ? urisOfUriList(await list.asString()) : [];
  if (fromList.length > 0) return fromList;
  const uris: vscode.Uri[] = [];
  dataTransfer.forEach((item) => {
    const uri = item.asFile()?.uri;
    if (uri?.scheme === 'file') uris.push(uri);
  });
  return uris;
}
