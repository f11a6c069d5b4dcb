// Expands what the user picked in VS Code (files and folders) into the files to upload and their remote names.
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import { duplicateName, expandLocalPaths, type LocalFileEntry } from '../transfer/localFiles';

export async function expandUploadSources(uris: readonly vscode.Uri[], token?: vscode.CancellationToken): Promise<LocalFileEntry[]> {
  for (const uri of uris) {
    if (uri.scheme !== 'file') throw new ValidationError('resource', vscode.l10n.t('{0} is not a local file', uri.toString()));
  }
  const entries = await expandLocalPaths(uris.map((u) => u.fsPath), () => token?.isCancellationRequested === true);
  const duplicate = duplicateName(entries);
  if (duplicate) throw new ValidationError('file_name', vscode.l10n.t('two selected files would both be uploaded as "{0}"; upload them separately', duplicate));
  return entries;
}
