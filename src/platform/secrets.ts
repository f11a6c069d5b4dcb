// Credentials per backend in VS Code SecretStorage; the core reads them through CredentialSource.
import * as vscode from 'vscode';
import type { Backend } from './settings';

/** The secret fields each backend needs; labels are shown when asking for them. */
export const CREDENTIAL_FIELDS: Record<Backend, readonly { key: string; label: string; password: boolean }[]> = {
  datahub: [{ key: 'token', label: 'Datahub API token', password: true }],
  ingest: [
    { key: 'userId', label: 'user-id', password: false },
    { key: 'accessToken', label: 'Access-Token', password: true },
    { key: 'uid', label: 'uid', password: false },
  ],
  media: [{ key: 'token', label: 'Media user token', password: true }],
  pandora: [
    { key: 'accessKey', label: 'Pandora AccessKey', password: false },
    { key: 'secretKey', label: 'Pandora SecretKey', password: true },
  ],
  multipart: [{ key: 'token', label: 'Multipart upload token (optional)', password: true }],
};

export interface CredentialSource {
  get(backend: Backend, key: string): Promise<string | undefined>;
}

export class CredentialStore implements CredentialSource {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private id(backend: Backend, key: string): string {
    return `datahub.${backend}.${key}`;
  }

  async get(backend: Backend, key: string): Promise<string | undefined> {
    const value = await this.secrets.get(this.id(backend, key));
    return value === '' ? undefined : value;
  }

  async set(backend: Backend, key: string, value: string): Promise<void> {
    if (value === '') await this.secrets.delete(this.id(backend, key));
    else await this.secrets.store(this.id(backend, key), value);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key.startsWith('datahub.')) listener();
    });
  }
}
