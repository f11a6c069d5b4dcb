// Typed reads of the `datahub.*` settings, with validation so a bad value is named, not used.
import * as vscode from 'vscode';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../api/http';
import { MULTI_VALUE_QUERIES, type MultiValueQuery } from '../api/ingest/client';
import type { SignedPath } from '../api/pandora/sign';

export type Backend = 'datahub' | 'ingest' | 'media' | 'pandora' | 'multipart';
export const BACKENDS: readonly Backend[] = ['datahub', 'ingest', 'media', 'pandora', 'multipart'];

export interface TransferSettings {
  concurrency: number;
  partConcurrency: number;
  fileConcurrency: number;
  chunkSize: number;
  /** 004's part size (`datahub.multipart.partSize`), independent of the Datahub chunk size. */
  multipartPartSize: number;
  retries: number;
  autoResume: boolean;
  heartbeatSeconds: number;
  /** The Content-Type of Datahub part PUTs; undefined sends none (what presigned part URLs are usually signed for). */
  partContentType: string | undefined;
  /** A data request slower than this many KiB/s over the window is retried; 0: no floor. */
  minThroughputKiBps: number;
  minThroughputWindowSeconds: number;
  /** How long a transfer that cannot reach its endpoint waits for it before it fails; 0: it fails at once. */
  networkWaitMinutes: number;
}

const MIB = 1024 * 1024;

/** The settings that say where each backend is (what Use Local Emulator points at the emulator). */
export const ENDPOINT_KEYS: readonly string[] = [...BACKENDS.map((b) => `endpoints.${b}`), 'ipfs.apiUrl'];

export class Settings {
  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('datahub');
  }

  /**
   * A setting that decides where credentials are sent (declared `"scope": "application"`): the User value or the
   * default, never a workspace or folder value. VS Code drops such workspace values in some hosts
   * only, and a repository's `.vscode/settings.json` must never redirect a stored token, so this is explicit.
   */
  private credentialRouting<T>(key: string): T | undefined {
    const inspected = this.config().inspect<T>(key);
    return inspected?.globalValue ?? inspected?.defaultValue;
  }

  baseUrl(backend: Backend): string {
    return (this.credentialRouting<string>(`endpoints.${backend}`) ?? '').trim();
  }

  async setBaseUrl(backend: Backend, url: string): Promise<void> {
    await this.config().update(`endpoints.${backend}`, url, vscode.ConfigurationTarget.Global);
  }

  /** The User values (undefined: none set) of every setting Use Local Emulator changes, to put back later. */
  endpointSnapshot(): Record<string, string | undefined> {
    const snapshot: Record<string, string | undefined> = {};
    for (const key of ENDPOINT_KEYS) {
      const value = this.config().inspect<string>(key)?.globalValue;
      snapshot[key] = typeof value === 'string' ? value : undefined;
    }
    return snapshot;
  }

  /** Writes a snapshot back into User settings; a key without a value is removed (its default applies again). */
  async restoreEndpoints(snapshot: Readonly<Record<string, unknown>>): Promise<void> {
    for (const key of ENDPOINT_KEYS) {
      const value = snapshot[key];
      await this.config().update(key, typeof value === 'string' ? value : undefined, vscode.ConfigurationTarget.Global);
    }
  }

  /** The header that carries the Datahub token (the API document does not name one). */
  datahubAuthHeader(): { name: string; scheme: string } {
    return { name: this.credentialRouting<string>('datahub.authHeader') || 'Authorization', scheme: this.credentialRouting<string>('datahub.authScheme') ?? 'Bearer' };
  }

  ipfsApiUrl(): string {
    return (this.credentialRouting<string>('ipfs.apiUrl') ?? 'http://127.0.0.1:5001').trim();
  }

  /** Bounds of every control request; the deadline is `datahub.http.requestTimeoutSeconds`. */
  httpLimits(): HttpLimits {
    const seconds = this.config().get<number>('http.requestTimeoutSeconds', DEFAULT_HTTP_LIMITS.deadlineMs / 1000);
    const valid = typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 1 && seconds <= 3600;
    return { ...DEFAULT_HTTP_LIMITS, deadlineMs: valid ? Math.round(seconds * 1000) : DEFAULT_HTTP_LIMITS.deadlineMs };
  }

  /** How long an IPFS cat waits for bytes before it fails (datahub.ipfs.timeoutSeconds, 5–3600 s). */
  ipfsTimeoutMs(): number {
    const raw = this.config().get<number>('ipfs.timeoutSeconds', 60);
    return (typeof raw === 'number' && Number.isFinite(raw) ? Math.min(3600, Math.max(5, raw)) : 60) * 1000;
  }

  async setIpfsApiUrl(url: string): Promise<void> {
    await this.config().update('ipfs.apiUrl', url, vscode.ConfigurationTarget.Global);
  }

  /** A whole number clamped into [min, max]; a value that is not a number reads as `fallback`. */
  private clampedInt(key: string, fallback: number, min: number, max: number): number {
    const value = this.config().get<number>(key, fallback);
    return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
  }

  /** How 001 list filters are written in a query string (datahub.ingest.multiValueQuery). */
  ingestMultiValueQuery(): MultiValueQuery {
    const value = this.config().get<string>('ingest.multiValueQuery', 'repeat');
    return MULTI_VALUE_QUERIES.find((q) => q === value) ?? 'repeat';
  }

  /** Files of a load task listed per page (datahub.loadTasks.filesPageSize, 1–100). */
  loadTaskFilesPageSize(): number {
    return this.clampedInt('loadTasks.filesPageSize', 50, 1, 100);
  }

  /** How often the Load Tasks view refreshes while a task runs (datahub.loadTasks.pollSeconds, 1–60 s). */
  loadTasksPollMs(): number {
    return this.clampedInt('loadTasks.pollSeconds', 3, 1, 60) * 1000;
  }

  /** How often a view that could not load tries again by itself (datahub.views.retrySeconds, 0–3600; 0 = never). */
  viewRetrySeconds(): number {
    return this.clampedInt('views.retrySeconds', 15, 0, 3600);
  }

  /** Runs listed per page of a job's Run History (datahub.pandora.historyPageSize, 1–500). */
  pandoraHistoryPageSize(): number {
    return this.clampedInt('pandora.historyPageSize', 20, 1, 500);
  }

  /** How often the Pandora view refreshes while a run is active (datahub.pandora.refreshSeconds; 0 = never). */
  pandoraRefreshSeconds(): number {
    const value = this.config().get<number>('pandora.refreshSeconds', 3);
    return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : 3;
  }

  /** Which request path Pandora signatures cover (datahub.pandora.signedPath): the decoded path, or the path as sent. */
  pandoraSignedPath(): SignedPath {
    return this.config().get<string>('pandora.signedPath', 'decoded') === 'asSent' ? 'asSent' : 'decoded';
  }

  /** Transfer tuning; out-of-range values are clamped and reported through `onInvalid`. */
  transfer(onInvalid?: (message: string) => void): TransferSettings {
    const c = this.config();
    const int = (key: string, fallback: number, min: number, max: number): number => {
      const raw = c.get<number>(key, fallback);
      if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < min || raw > max) {
        onInvalid?.(vscode.l10n.t('Setting datahub.{0} = {1} is out of range ({2}–{3}); using {4}.', key, String(raw), min, max, fallback));
        return fallback;
      }
      return Math.floor(raw);
    };
    return {
      concurrency: int('transfer.concurrency', 3, 1, 16),
      partConcurrency: int('transfer.partConcurrency', 4, 1, 32),
      fileConcurrency: int('transfer.fileConcurrency', 4, 1, 32),
      chunkSize: int('transfer.chunkSize', 5 * MIB, 1, 5 * 1024 * MIB),
      // 004: "Part size: 5 MB (5242880 bytes)"; no part can exceed its largest file (524288000 bytes).
      multipartPartSize: int('multipart.partSize', 5_242_880, 1, 524_288_000),
      retries: int('transfer.retries', 5, 0, 20),
      autoResume: c.get<boolean>('transfer.autoResume', false) === true,
      heartbeatSeconds: int('transfer.heartbeatSeconds', 30, 1, 3600),
      partContentType: this.partContentType(c, onInvalid),
      minThroughputKiBps: int('transfer.minThroughputKiBps', 0, 0, 1024 * 1024),
      minThroughputWindowSeconds: int('transfer.minThroughputWindowSeconds', 60, 5, 3600),
      networkWaitMinutes: int('transfer.networkWaitMinutes', 5, 0, 1440),
    };
  }

  private partContentType(c: vscode.WorkspaceConfiguration, onInvalid?: (message: string) => void): string | undefined {
    const raw = c.get<string>('transfer.partContentType', '');
    if (typeof raw !== 'string' || /[\r\n]/.test(raw)) {
      onInvalid?.(vscode.l10n.t('Setting datahub.transfer.partContentType must be one line of text; sending no Content-Type.'));
      return undefined;
    }
    return raw.trim() || undefined;
  }

  onDidChange(listener: (e: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('datahub')) listener(e);
    });
  }
}
