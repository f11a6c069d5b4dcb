// The CLI's secret store: one 0600 file per secret in a 0700 folder of its state dir (a terminal has no SecretStorage).
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeOwnerOnlyFile } from '../ownerOnlyFile';
import type { SecretStore } from './keyStore';

export class FileSecretStore implements SecretStore {
  constructor(private readonly dir: string) {}

  /** A key such as `datahub-private-block/<id>` as one file name, reversibly and without path separators. */
  private path(key: string): string {
    return join(this.dir, `${encodeURIComponent(key)}.secret`);
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(key), 'utf8');
    } catch {
      return undefined;
    }
  }

  async store(key: string, value: string): Promise<void> {
    await writeOwnerOnlyFile(this.path(key), Buffer.from(value, 'utf8'));
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
