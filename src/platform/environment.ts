// Which environment the endpoints point at (the local emulator, or the hosts the user configured) and the way back:
// pointing at an emulator keeps the User values it replaced, and "Use Configured Hosts" puts them back.
import * as vscode from 'vscode';
import { fillDemoCredentials, removeDemoCredentials } from './demoCredentials';
import type { CredentialStore } from './secrets';
import { BACKENDS, type Settings } from './settings';

const SAVED_ENDPOINTS = 'datahub.setup.configuredEndpoints';
const FILLED_DEMO = 'datahub.setup.filledDemoCredentials';
/** The URL of the emulator Start Local Emulator ran and pointed the endpoints at (it stops with its window). */
const STARTED_EMULATOR = 'datahub.setup.startedEmulatorUrl';

export type EnvironmentState = { kind: 'emulator'; url: string } | { kind: 'hosts' };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class Environment {
  constructor(
    private readonly settings: Settings,
    private readonly state: vscode.Memento,
    private readonly credentials: CredentialStore,
  ) {}

  /** The emulator when every backend points at one loopback URL, otherwise the configured hosts. */
  current(): EnvironmentState {
    const urls = new Set(BACKENDS.map((b) => this.settings.baseUrl(b).replace(/\/+$/, '')));
    if (urls.size !== 1) return { kind: 'hosts' };
    const [url] = [...urls];
    try {
      return LOOPBACK.has(new URL(url).hostname) ? { kind: 'emulator', url } : { kind: 'hosts' };
    } catch {
      return { kind: 'hosts' };
    }
  }

  /** The emulator the endpoints point at when Start Local Emulator started it (in this window or an earlier one). */
  startedEmulator(): string | undefined {
    const current = this.current();
    const started = this.state.get<string>(STARTED_EMULATOR);
    return current.kind === 'emulator' && current.url === started ? started : undefined;
  }

  /** Whether Use Configured Hosts has endpoints to put back. */
  canRestore(): boolean {
    return this.state.get(SAVED_ENDPOINTS) !== undefined;
  }

  /**
   * Points every backend (and the IPFS API) at `url`. Coming from the configured hosts (or the first time), it keeps
   * the User values it replaces; from one emulator to another, the hosts kept before stay the ones to go back to.
   */
  async pointAt(url: string, demoCredentials: boolean, started = false): Promise<void> {
    if (!this.canRestore() || this.current().kind === 'hosts') await this.state.update(SAVED_ENDPOINTS, this.settings.endpointSnapshot());
    await this.state.update(STARTED_EMULATOR, started ? url : undefined);
    for (const backend of BACKENDS) await this.settings.setBaseUrl(backend, url);
    await this.settings.setIpfsApiUrl(url);
    if (demoCredentials) {
      const filled = await fillDemoCredentials(this.credentials);
      const before = this.state.get<string[]>(FILLED_DEMO) ?? [];
      await this.state.update(FILLED_DEMO, [...new Set([...before, ...filled])]);
    }
  }

  /** Puts back the endpoints the emulator replaced and removes the demo credentials it filled; false when there is nothing to restore. */
  async restore(): Promise<boolean> {
    const saved = this.state.get<Record<string, unknown>>(SAVED_ENDPOINTS);
    if (!saved || typeof saved !== 'object') return false;
    await this.settings.restoreEndpoints(saved);
    await removeDemoCredentials(this.credentials, this.state.get<string[]>(FILLED_DEMO) ?? []);
    await this.state.update(SAVED_ENDPOINTS, undefined);
    await this.state.update(FILLED_DEMO, undefined);
    await this.state.update(STARTED_EMULATOR, undefined);
    return true;
  }
}
