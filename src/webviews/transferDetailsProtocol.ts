// The transfer details page's message protocol, shared by the host (panel) and the page; the host checks every page
// message against transferDetailsPageSchema. The host sends `init` (texts) once per page load, then `state` whenever it
// changes.
import * as v from 'valibot';
import type { PartFileMap, ThroughputSample } from '../transfer/transferActivity';
import { accept, initFailedSchema } from './messages';

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

/**
 * What the page may send: `ready` (loaded, or Retry), Reveal / Copy Path of the journal file, or that its script failed
 * to start. Each is a type and nothing else: the page never names a path (the host knows the journal's).
 */
export const transferDetailsPageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('ready') }),
  v.strictObject({ type: v.literal('revealJournal') }),
  v.strictObject({ type: v.literal('copyJournalPath') }),
  initFailedSchema,
]);
export type PageMessage = v.InferOutput<typeof transferDetailsPageSchema>;

/** The page's message when it is exactly one the host understands; undefined = refused. */
export const parsePageMessage = (message: unknown): PageMessage | undefined => accept(transferDetailsPageSchema, message);
