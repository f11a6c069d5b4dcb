// The transfer details page's message protocol, shared by the host (panel) and the page; the host parses every page
// message with parsePageMessage. The host sends `init` (texts) once per page load, then `state` whenever it changes.
import type { PartFileMap, ThroughputSample } from '../transfer/transferActivity';
import { isObject, type ReadyMessage } from './messages';

/** The translated texts of the page (the page has no l10n of its own). */
export interface DetailsStrings {
  throughput: string;
  /** Shown instead of the chart before two samples exist. */
  noSamples: string;
  /** "Throughput over the last {0}: from {1} to {2}" — the chart's text alternative. */
  chartSummary: string;
  parts: string;
  /** Before the first part report (a protocol without parts, or not started here). */
  noParts: string;
  /** The legend's and the table's names of the part states. */
  cells: { pending: string; sending: string; done: string; retried: string; failed: string };
  /** Column headers of the accessible table. */
  tableState: string;
  tableCount: string;
  tableParts: string;
  tableFile: string;
  /** "{0} more parts not shown". */
  morePartsHidden: string;
  details: string;
  reveal: string;
  copyPath: string;
}

/** One labelled line of the details list, already formatted by the host. */
export interface DetailsRow {
  key: 'state' | 'progress' | 'speed' | 'resent' | 'destination' | 'local' | 'started' | 'finished' | 'error' | 'journal';
  label: string;
  value: string;
}

/** What the page shows; sent whole each time (at most twice a second). */
export interface DetailsState {
  title: string;
  /** The transfer is no longer in the Transfers view (cleared): the page says so and shows what it had. */
  removed: boolean;
  /** A banner line: "Completed", "Removed from the Transfers view", … (empty while running). */
  notice: string;
  rows: DetailsRow[];
  samples: ThroughputSample[];
  parts: PartFileMap[];
  /** Parts counted beside the map (those not shown when a file has too many). */
  hiddenParts: number;
  /** Whether the journal file exists to reveal (it is gone once the transfer is removed). */
  canReveal: boolean;
}

export interface InitMessage {
  type: 'init';
  strings: DetailsStrings;
}

export interface StateMessage {
  type: 'state';
  state: DetailsState;
}

export type HostMessage = InitMessage | StateMessage;

/** Reveal the journal file in the OS file manager, or copy its path. */
export interface JournalActionMessage {
  type: 'revealJournal' | 'copyJournalPath';
}

/** What the page may send. */
export type PageMessage = ReadyMessage | JournalActionMessage;

/** The page's message when it is exactly one the host understands (a type and nothing else); undefined = refused. */
export function parsePageMessage(message: unknown): PageMessage | undefined {
  if (!isObject(message) || Object.keys(message).length !== 1) return undefined;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'revealJournal':
    case 'copyJournalPath':
      return { type: message.type };
    default:
      return undefined;
  }
}
