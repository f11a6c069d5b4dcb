// When a Transfers row is redrawn: what it shows, as a signature in two parts — what redraws at once (state, icon,
// menus) and the progress text, which redraws at most every PROGRESS_REDRAW_MS — and the rows due for a redraw.
// No `vscode` import, so that the unit tests run it as it is.
import { formatBytes, percentOf } from '../transfer/format';
import type { UploadFileRow } from '../transfer/protocols/datahubUploadState';

/**
 * A running row's percent, speed and time left are redrawn at most this often: VS Code rebuilds a row's inline
 * buttons on each redraw, and a click whose press and release straddle one is lost.
 */
export const PROGRESS_REDRAW_MS = 2000;

/** What a row shows: `now` redraws at once when it changes, `text` (the progress in it) at most every PROGRESS_REDRAW_MS. */
export interface RowSignature {
  readonly now: string;
  readonly text: string;
}

/** A row's look as plain strings (the tree item's fields and the transfer's phase). */
export interface RowLook {
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  contextValue: string;
  collapsible: number;
  /** The phase of a running transfer (hashing, uploading, waiting for the network…): a change of it is news at once. */
  phase?: string;
}

export function rowSignature(look: RowLook): RowSignature {
  return {
    now: JSON.stringify([look.label, look.icon, look.contextValue, look.collapsible, look.phase ?? '']),
    text: JSON.stringify([look.description, look.tooltip]),
  };
}

/**
 * A file row's signature from its data alone (name, path and size are fixed for its id): a folder can have
 * thousands of files, too many to build their tree items on every progress event just to compare them.
 */
export function fileRowSignature(file: UploadFileRow): RowSignature {
  return { now: JSON.stringify([file.state, file.error ?? '']), text: `${percentOf(file.done, file.size)}|${formatBytes(file.done)}` };
}

/** A row the view shows now: its id (the tree item's id), the node the view holds for it, and what it would show. */
export interface Row<N> {
  readonly id: string;
  readonly node: N;
  readonly signature: RowSignature;
}

/** What the view was last told a row shows (it drew it, or was told to redraw it), and when. */
interface Told {
  readonly signature: RowSignature;
  readonly at: number;
}

export type Verdict = { readonly kind: 'same' } | { readonly kind: 'now' } | { readonly kind: 'later'; readonly at: number };

/**
 * Whether a row is redrawn now, later (at `at`), or not at all. A row the view never drew is left alone: the view
 * reads it whole when it shows it.
 */
export function verdict(told: Told | undefined, current: RowSignature, now: number): Verdict {
  if (!told || (told.signature.now === current.now && told.signature.text === current.text)) return { kind: 'same' };
  if (told.signature.now !== current.now || now - told.at >= PROGRESS_REDRAW_MS) return { kind: 'now' };
  return { kind: 'later', at: told.at + PROGRESS_REDRAW_MS };
}

/**
 * Remembers what the view was told of each row, and on each review redraws the rows whose look changed: at once for
 * a state, at most every PROGRESS_REDRAW_MS for progress text (a timer brings the last text once the interval is over).
 */
export class RowRedraws<N> {
  private readonly told = new Map<string, Told>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  /** `redraw` tells the view to redraw these nodes; `due` is called when a deferred redraw is due (it calls review). */
  constructor(
    private readonly redraw: (nodes: N[]) => void,
    private readonly due: () => void,
  ) {}

  /** The view drew the row (it asked for its tree item) with this look. */
  drawn(id: string, signature: RowSignature): void {
    this.told.set(id, { signature, at: Date.now() });
  }

  /** Redraws the rows that are due now; keeps a timer for the earliest of those that are due later. */
  review(rows: Iterable<Row<N>>): void {
    const now = Date.now();
    const redraw: N[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const row of rows) {
      const decided = verdict(this.told.get(row.id), row.signature, now);
      if (decided.kind === 'now') {
        redraw.push(row.node);
        this.told.set(row.id, { signature: row.signature, at: now });
      } else if (decided.kind === 'later') {
        next = Math.min(next, decided.at);
      }
    }
    if (next < this.timerAt) this.schedule(next, now);
    if (redraw.length > 0) this.redraw(redraw);
  }

  /** Forgets every row not in `ids` (transfers cleared, rows gone). */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of [...this.told.keys()]) if (!ids.has(id)) this.told.delete(id);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(at: number, now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.due();
    }, at - now);
  }
}
