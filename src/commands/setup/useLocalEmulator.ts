// Use Local Emulator…: points every backend's base URL (and the IPFS API) at a running emulator after checking it answers.
import * as vscode from 'vscode';
import { ValidationError } from '../../api/errors';
import type { Prompts } from '../../platform/prompts';
import { BACKENDS, type Settings } from '../../platform/settings';

const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:8787';

export async function useLocalEmulator(deps: { prompts: Prompts; settings: Settings }): Promise<boolean> {
  const answer = await deps.prompts.input({
    title: vscode.l10n.t('Datahub: Use Local Emulator'),
    prompt: vscode.l10n.t('URL of a running emulator (start one with "npm run emulator" or "npx datahub emulator")'),
    value: DEFAULT_EMULATOR_URL,
    ignoreFocusOut: true,
    validateInput: (v) => (/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter an http(s) URL such as {0}', DEFAULT_EMULATOR_URL)),
  });
  if (!answer) return false;
  const url = answer.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+$/.test(url)) throw new ValidationError('url', vscode.l10n.t('"{0}" is not an http(s) URL', url));
  const health = await fetch(`${url}/_emulator/health`, { signal: AbortSignal.timeout(5000) }).catch((e: unknown) => e as Error);
  if (health instanceof Error || !health.ok) {
    throw new Error(vscode.l10n.t('No Datahub emulator answers at {0} ({1}). Start it with "npm run emulator".', url, health instanceof Error ? health.message : `HTTP ${health.status}`));
  }
  for (const backend of BACKENDS) await deps.settings.setBaseUrl(backend, url);
  await deps.settings.setIpfsApiUrl(url);
  void vscode.window.showInformationMessage(vscode.l10n.t('Every Datahub backend now points at the emulator at {0}.', url));
  return true;
}
