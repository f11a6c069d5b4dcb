// Credentials per backend in VS Code SecretStorage; the core reads them through CredentialSource.
import * as vscode from 'vscode';
import type { Backend } from './settings';

export interface CredentialField {
  key: string;
  /** Shown when asking for it. */
  label: string;
  password: boolean;
  /** May be left unset: nothing is then sent for it. */
  optional?: boolean;
}

/** The secret fields each backend needs. */
export const CREDENTIAL_FIELDS: Record<Backend, readonly CredentialField[]> = {
  datahub: [{ key: 'token', label: 'Datahub API token', password: true }],
  ingest: [
    { key: 'userId', label: 'user-id', password: false },
    // 001's own examples leave it out (connectors/list) or send it empty (task/retry).
    { key: 'accessToken', label: 'Access-Token', password: true, optional: true },
    { key: 'uid', label: 'uid', password: false },
  ],
  media: [{ key: 'token', label: 'Media user token', password: true }],
  pandora: [
    { key: 'accessKey', label: 'Pandora AccessKey', password: false },
    { key: 'secretKey', label: 'Pandora SecretKey', password: true },
  ],
  multipart: [{ key: 'token', label: 'Multipart upload token', password: true, optional: true }],
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
