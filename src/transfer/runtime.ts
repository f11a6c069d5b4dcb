// The transfer runtime, built from a settings object and free of VS Code: the journal, ownership locks, the engine, the
// Datahub and multipart clients and their protocols. The extension and the CLI both start transfers through it.
import { DatahubClient } from '../api/datahub/client';
import type { HttpLimits } from '../api/http';
import { keepAliveAgents, destroyAgents, type KeepAliveAgents } from '../api/http';
import type { Logger } from '../api/logger';
import { MultipartClient } from '../api/multipart/client';
import { TransferEngine, type RestoreResult } from './engine';
import { HashCache } from './hashCache';
import { FileJournal } from './journal';
import { expandLocalPaths, type LocalFileEntry } from './localFiles';
import { TransferLocks } from './ownership';
import { DATAHUB_DOWNLOAD_KIND, DatahubDownloadProtocol } from './protocols/datahubDownload';
import { DatahubUploadProtocol, DATAHUB_UPLOAD_KIND, type DatahubUploadCheckpoint, type DatahubUploadParams } from './protocols/datahubUpload';
import { probeUrl } from './networkWait';
import { MultipartUploadProtocol } from './protocols/multipartUpload';
import { MULTIPART_UPLOAD_KIND } from './protocols/multipartUploadRecord';
import type { DataPace } from './stallGuard';
import type { ForeignOwner, TransferRecord } from './types';

/** How transfers run: read again each time a transfer starts (a settings change applies to the next one). */
export interface TransferTuning {
  /** Transfers running at once. */
  concurrency: number;
  /** Parts in flight per file. */
  partConcurrency: number;
  /** Files of a folder upload sent at the same time. */
  fileConcurrency: number;
  chunkSize: number;
  /** 004's part size, independent of the Datahub chunk size. */
  multipartPartSize: number;
  retries: number;
  heartbeatSeconds: number;
  /** A data request that moves no byte for this long is retried. */
  stallSeconds: number;
  /** A data request slower than this (bytes/s) over `floorWindowSeconds` is retried; 0: no floor. */
  minBytesPerSecond: number;
  floorWindowSeconds: number;
  /** The Content-Type of Datahub part PUTs; none when undefined. */
  partContentType?: string;
  /** How long a transfer that cannot reach its endpoint waits for it before it fails; 0: it fails at once. */
  networkWaitMinutes: number;
}

export const DEFAULT_TUNING: TransferTuning = {
  concurrency: 3,
  partConcurrency: 4,
  fileConcurrency: 4,
  chunkSize: 5 * 1024 * 1024,
  multipartPartSize: 5_242_880,
  retries: 5,
  heartbeatSeconds: 30,
  stallSeconds: 60,
  minBytesPerSecond: 0,
  floorWindowSeconds: 60,
  networkWaitMinutes: 5,
};

export interface BackendAccess {
  baseUrl: () => string;
  /** Resolved per request, so that a credential change applies at once. */
  token: () => Promise<string | undefined>;
}

export interface RuntimeSettings {
  /** Where the journal (and the ownership locks) live. */
  journalDir: string;
  /** What this process is, as other windows and processes are told. */
  owner: ForeignOwner['kind'];
  logger: Logger;
  datahub: BackendAccess & { authHeader?: () => { name: string; scheme: string } };
  multipart: BackendAccess;
  httpLimits: () => HttpLimits;
  tuning: () => TransferTuning;
  /** How often another process's transfers are read again (live progress); off when unset. */
  watchIntervalMs?: number;
  /** How long an owner's lock lasts without renewal. */
  leaseMs?: number;
  /** Where the hash cache lives, and other processes' cache folders it also reads; no cache when unset. */
  hashCache?: { folder: string; peers?: readonly string[] };
}

/** Files picked for an upload, each looked up once: what startDatahubUpload sends. */
export interface UploadSelection {
  /** What was picked: files and folders. */
  roots: string[];
  files: LocalFileEntry[];
  /** Symbolic links inside picked folders, not followed. */
  skippedLinks: string[];
}

/** The files under `paths` (folders expanded, links inside them skipped and listed). */
export async function selectUploadFiles(paths: readonly string[], isCancelled?: () => boolean): Promise<UploadSelection> {
  const skippedLinks: string[] = [];
  const files = await expandLocalPaths(paths, isCancelled, skippedLinks);
  return { roots: [...paths], files, skippedLinks };
}

/** A floor on data throughput, from the tuning; undefined when off. */
export function floorOf(tuning: TransferTuning): Omit<DataPace, 'stallMs'> | undefined {
  return tuning.minBytesPerSecond > 0 ? { minBytesPerSecond: tuning.minBytesPerSecond, floorWindowMs: tuning.floorWindowSeconds * 1000 } : undefined;
}

export class TransferRuntime {
  readonly engine: TransferEngine;
  readonly datahub: DatahubClient;
  readonly multipart: MultipartClient;
  readonly journal: FileJournal;
  readonly hashCache: HashCache | undefined;
  /** One pool of data sockets for every protocol's part PUTs and ranged GETs. */
  private readonly agents: KeepAliveAgents;

  constructor(settings: RuntimeSettings) {
    const { logger } = settings;
    const tuning = (): TransferTuning => settings.tuning();
    this.journal = new FileJournal(settings.journalDir);
    const locks = new TransferLocks({ dir: settings.journalDir, kind: settings.owner, leaseMs: settings.leaseMs });
    // The endpoint a transfer's protocol talks to, probed while it waits for the network; others run again to find out.
    const endpoints = new Map<string, () => string>([
      [DATAHUB_UPLOAD_KIND.name, settings.datahub.baseUrl],
      [DATAHUB_DOWNLOAD_KIND.name, settings.datahub.baseUrl],
      [MULTIPART_UPLOAD_KIND.name, settings.multipart.baseUrl],
    ]);
    this.engine = new TransferEngine({
      journal: this.journal,
      logger,
      locks,
      concurrency: () => tuning().concurrency,
      watchIntervalMs: settings.watchIntervalMs,
      networkWait: () => ({ windowMs: tuning().networkWaitMinutes * 60_000 }),
      probe: async (record, signal) => {
        const url = endpoints.get(record.protocol)?.();
        if (url) await probeUrl(url, signal);
      },
    });
    const sockets = Math.max(8, tuning().partConcurrency * tuning().fileConcurrency * tuning().concurrency + 2);
    this.agents = keepAliveAgents(sockets);
    this.datahub = new DatahubClient({ ...settings.datahub, logger, limits: settings.httpLimits });
    this.multipart = new MultipartClient({ ...settings.multipart, logger, limits: settings.httpLimits });
    this.hashCache = settings.hashCache && new HashCache(settings.hashCache);
    this.engine.registerProtocol(
      new DatahubUploadProtocol({
        client: this.datahub,
        agents: this.agents,
        logger,
        hashCache: this.hashCache,
        tuning: () => {
          const t = tuning();
          return { ...t, floor: floorOf(t) };
        },
      }),
    );
    this.engine.registerProtocol(
      new DatahubDownloadProtocol({
        client: this.datahub,
        agents: this.agents,
        tuning: () => {
          const t = tuning();
          return { ...t, floor: floorOf(t) };
        },
      }),
    );
    this.engine.registerProtocol(
      new MultipartUploadProtocol({
        client: this.multipart,
        agents: this.agents,
        tuning: () => {
          const t = tuning();
          return { partSize: t.multipartPartSize, partConcurrency: t.partConcurrency, retries: t.retries, stallSeconds: t.stallSeconds, floor: floorOf(t) };
        },
      }),
    );
  }

  /** Loads the journal: interrupted transfers come back paused; damaged records are set aside and listed. */
  restore(): Promise<RestoreResult> {
    return this.engine.restore();
  }

  /**
   * Starts an upload of files or folders to a Datahub subtask: the Explorer command and `datahub upload` both come
   * here. Pass a selection made earlier (to ask about it first) or the paths; each file is looked up once.
   */
  async startDatahubUpload(
    source: UploadSelection | readonly string[],
    subtaskId: string,
    label?: string,
  ): Promise<{ record: TransferRecord<DatahubUploadParams, DatahubUploadCheckpoint>; selection: UploadSelection }> {
    const selection = isSelection(source) ? source : await selectUploadFiles(source);
    const files = selection.files.map(({ path, name, size, mtimeMs }) => ({ path, name, size, mtimeMs }));
    const record = this.engine.start(DATAHUB_UPLOAD_KIND, { subtaskId, files }, {
      label: label ?? (files.length === 1 ? files[0].name : `${files.length} files`),
      localPath: selection.roots[0],
      bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
    });
    return { record, selection };
  }

  /**
   * Stops what runs (it resumes next time), waits for the journal, lets the locks go and closes every socket pool:
   * a kept-alive socket would hold a finished CLI process open until the server drops it.
   */
  async dispose(): Promise<void> {
    await this.engine.dispose();
    await this.hashCache?.flush();
    destroyAgents(this.agents);
    this.datahub.close();
    this.multipart.close();
  }
}

function isSelection(source: UploadSelection | readonly string[]): source is UploadSelection {
  return !Array.isArray(source);
}
