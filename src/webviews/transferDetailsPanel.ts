// Host side of a transfer's details page: one panel per transfer, fed from the engine's record and the activity log
// (throughput samples, part map, bytes re-sent), at most twice a second; it outlives the transfer and says so.
import * as vscode from 'vscode';
import { stateWord } from '../providers/stateWords';
import type { TransferEngine } from '../transfer/engine';
import { formatBytes, formatRate, percentOf } from '../transfer/format';
import { DATAHUB_DOWNLOAD_KIND } from '../transfer/protocols/datahubDownload';
import { DATAHUB_UPLOAD_KIND } from '../transfer/protocols/datahubUpload';
import { MULTIPART_UPLOAD_KIND } from '../transfer/protocols/multipartUploadRecord';
import type { TransferActivityLog } from '../transfer/transferActivity';
import { isTransferOf, type TransferRecord } from '../transfer/types';
import { Panel, type BaseHostMessage, type ClosedPanel, type PageDefinition, type PanelServices } from './panel';
import type { PanelRegistry } from './registry';
import { transferDetailsPageSchema, type DetailsRow, type DetailsState, type DetailsStrings, type HostMessage, type PageMessage } from './transferDetailsProtocol';

export const TRANSFER_DETAILS_VIEW_TYPE = 'datahub.transferDetails';

/** The page is sent a new state at most this often (a running transfer changes many times a second). */
export const DETAILS_UPDATE_MS = 500;

export interface TransferDetailsDeps extends PanelServices {
  engine: Pick<TransferEngine, 'get' | 'onDidChange'>;
  activity: TransferActivityLog;
  /** The journal file of a transfer, when the journal is on disk. */
  journalFile: (id: string) => string | undefined;
  /** The open details pages, by transfer id (the area's). */
  panels: PanelRegistry<TransferDetailsPanel>;
}

function strings(): DetailsStrings {
  return {
    throughput: vscode.l10n.t('Throughput'),
    noSamples: vscode.l10n.t('No throughput measured yet: samples are taken once a second while the transfer runs in this window.'),
    chartSummary: vscode.l10n.t('Throughput over the last {0}: from {1} to {2}, now {3}.'),
    parts: vscode.l10n.t('Parts'),
    noParts: vscode.l10n.t('No parts reported: they are shown once the transfer sends them in this window.'),
    cells: {
      pending: vscode.l10n.t('Pending'),
      sending: vscode.l10n.t('In flight'),
      done: vscode.l10n.t('Done'),
      retried: vscode.l10n.t('Retried'),
      failed: vscode.l10n.t('Failed'),
    },
    tableState: vscode.l10n.t('State'),
    tableCount: vscode.l10n.t('Count'),
    tableParts: vscode.l10n.t('Parts'),
    tableFile: vscode.l10n.t('File'),
    morePartsHidden: vscode.l10n.t('{0} more parts are not shown.'),
    details: vscode.l10n.t('Details'),
    reveal: vscode.l10n.t('Reveal Journal File'),
    copyPath: vscode.l10n.t('Copy Path'),
  };
}

/** Where the transfer's bytes go (an upload) or come from (a download). */
function destination(record: TransferRecord): string | undefined {
  if (isTransferOf(DATAHUB_UPLOAD_KIND, record) || isTransferOf(DATAHUB_DOWNLOAD_KIND, record)) return vscode.l10n.t('subtask {0}', record.params.subtaskId);
  if (isTransferOf(MULTIPART_UPLOAD_KIND, record)) return vscode.l10n.t('simulation job {0}', record.params.job.job_name);
  return undefined;
}

/** The page's whole state for `record` (the last one known, when it was removed). */
export function detailsState(record: TransferRecord, removed: boolean, activity: TransferActivityLog, journalFile: string | undefined): DetailsState {
  const p = record.progress;
  const found = activity.get(record.id);
  const where = destination(record);
  const rows: (DetailsRow | undefined)[] = [
    { key: 'state', label: vscode.l10n.t('State'), value: p.phase && record.state === 'running' ? `${stateWord(record.state)} · ${p.phase}` : stateWord(record.state) },
    { key: 'progress', label: vscode.l10n.t('Progress'), value: `${percentOf(p.bytesDone, p.bytesTotal)}% · ${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}` },
    record.state === 'running' ? { key: 'speed', label: vscode.l10n.t('Speed'), value: p.stalled ? vscode.l10n.t('stalled') : formatRate(p.bytesPerSecond) } : undefined,
    {
      key: 'resent',
      label: vscode.l10n.t('Re-sent by retries'),
      value: found ? vscode.l10n.t('{0} in {1} retries', formatBytes(found.resentBytes), found.retries) : vscode.l10n.t('nothing seen in this window'),
    },
    where ? { key: 'destination', label: record.direction === 'upload' ? vscode.l10n.t('Destination') : vscode.l10n.t('Source'), value: where } : undefined,
    record.localPath ? { key: 'local', label: record.direction === 'upload' ? vscode.l10n.t('Local file') : vscode.l10n.t('Saved to'), value: record.localPath } : undefined,
    { key: 'started', label: vscode.l10n.t('Started'), value: new Date(record.createdAt).toLocaleString() },
    record.finishedAt !== undefined ? { key: 'finished', label: vscode.l10n.t('Finished'), value: new Date(record.finishedAt).toLocaleString() } : undefined,
    record.error ? { key: 'error', label: vscode.l10n.t('Error'), value: record.error } : undefined,
    journalFile ? { key: 'journal', label: vscode.l10n.t('Journal file'), value: journalFile } : undefined,
  ];
  const notice = removed
    ? vscode.l10n.t('This transfer was removed from the Transfers view; what it showed last is kept here.')
    : record.elsewhere
      ? vscode.l10n.t('Another window or process runs this transfer: its parts and speed are measured there.')
      : record.state === 'running' || record.state === 'queued'
        ? ''
        : vscode.l10n.t('This transfer is {0}.', stateWord(record.state).toLowerCase());
  return {
    title: record.label,
    removed,
    notice,
    rows: rows.filter((r): r is DetailsRow => r !== undefined),
    samples: found?.samples.values() ?? [],
    parts: found?.parts.map() ?? [],
    hiddenParts: found?.parts.hidden() ?? 0,
    canReveal: !removed && journalFile !== undefined,
  };
}

/** The transfer details page: its view type, bundle and what it may post. */
const TRANSFER_DETAILS: PageDefinition<PageMessage> = { viewType: TRANSFER_DETAILS_VIEW_TYPE, script: 'transferDetails', logName: 'transfer details', schema: transferDetailsPageSchema };

/** Opens (or reveals) the details of `record`. */
export function openTransferDetails(deps: TransferDetailsDeps, record: TransferRecord): TransferDetailsPanel {
  const existing = deps.panels.get(record.id);
  if (existing) {
    existing.reveal();
    return existing;
  }
  return new TransferDetailsPanel(deps, record);
}

/** One transfer's details page; it has nothing to save, so it never asks on close. */
export class TransferDetailsPanel extends Panel<HostMessage, PageMessage, never> {
  private last: TransferRecord;
  private ready = false;
  private sent: DetailsState | undefined;
  private postedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly journalPath: string | undefined;

  constructor(private readonly deps: TransferDetailsDeps, record: TransferRecord) {
    super(TRANSFER_DETAILS, deps, deps.panels, record.id, vscode.l10n.t('Transfer: {0}', record.label), undefined, undefined);
    this.last = record;
    this.journalPath = deps.journalFile(record.id);
    this.track(
      deps.activity.onDidChange((changed) => {
        if (changed === record.id) this.schedule();
      }),
      deps.engine.onDidChange((changed) => {
        if (!changed || changed.id === record.id) this.schedule();
      }),
      { dispose: () => this.timer && clearTimeout(this.timer) },
    );
  }

  protected title(): string {
    return vscode.l10n.t('Transfer: {0}', this.last.label);
  }

  protected closedPanel(): ClosedPanel<never> {
    // Never asked for: the page posts no draft.
    return { save: async () => undefined, reopen: () => undefined };
  }

  protected async receive(message: PageMessage): Promise<HostMessage | BaseHostMessage | undefined> {
    if (message.type === 'ready') {
      this.ready = true;
      const init = await this.post({ type: 'init', strings: strings() });
      this.sendState();
      return init;
    }
    if (message.type === 'initFailed' || !this.journalPath) return undefined;
    if (message.type === 'revealJournal') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(this.journalPath));
    else {
      await vscode.env.clipboard.writeText(this.journalPath);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', this.journalPath), 3000);
    }
    return undefined;
  }

  private sendState(): void {
    this.timer = undefined;
    const current = this.deps.engine.get(this.last.id);
    if (current) this.last = current;
    // Once removed, the activity log forgets the transfer: the page keeps the samples and parts it had.
    const removed = current === undefined;
    const state = detailsState(this.last, removed, this.deps.activity, this.journalPath);
    const before = this.sent;
    if (removed && before) {
      state.samples = before.samples;
      state.parts = before.parts;
      state.hiddenParts = before.hiddenParts;
      state.rows = state.rows.map((row) => (row.key === 'resent' ? (before.rows.find((r) => r.key === 'resent') ?? row) : row));
    }
    this.sent = state;
    this.postedAt = Date.now();
    void this.post({ type: 'state', state });
  }

  /** Leading and trailing: a change after a quiet while shows at once, a burst at most every DETAILS_UPDATE_MS. */
  private schedule(): void {
    if (!this.ready || this.timer || this.isDisposed) return;
    const wait = Math.max(0, this.postedAt + DETAILS_UPDATE_MS - Date.now());
    this.timer = setTimeout(() => this.sendState(), wait);
  }
}
