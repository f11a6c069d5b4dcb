// Expands what the user picked in VS Code (files and folders) into the files to upload and their remote names.
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import { duplicateName } from '../transfer/localFiles';
import { selectUploadFiles, type UploadSelection } from '../transfer/runtime';

export async function expandUploadSources(uris: readonly vscode.Uri[], token?: vscode.CancellationToken): Promise<UploadSelection> {
  for (const uri of uris) {
    if (uri.scheme !== 'file') throw new ValidationError('resource', vscode.l10n.t('{0} is not a local file', uri.toString()));
  }
  const selection = await selectUploadFiles(uris.map((u) => u.fsPath), () => token?.isCancellationRequested === true);
  const duplicate = duplicateName(selection.files);
  if (duplicate) throw new ValidationError('file_name', vscode.l10n.t('two selected files would both be uploaded as "{0}"; upload them separately', duplicate));
  return selection;
}
