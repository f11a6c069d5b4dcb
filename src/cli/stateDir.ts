// Where the CLI keeps its transfer journal by default: the user's cache dir.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultStateDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'datahub-vscode', 'transfers');
}
