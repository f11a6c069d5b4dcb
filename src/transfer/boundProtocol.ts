// A protocol as the engine holds it: its params and checkpoint types erased, each record checked against the
// protocol's schemas before the protocol sees it (so the protocol gets exactly the types it declared).
import type { Logger } from '../api/logger';
import type { PartSink } from './partActivity';
import type { JsonPath } from './journalDiff';
import { isTransferOf, transferProblem, type HookContext, type Protocol, type TransferProgress, type TransferRecord } from './types';

export type HookName = 'onPaused' | 'onCancelled' | 'onFailed' | 'onDiscarded';

export interface RunContext {
  signal: AbortSignal;
  logger: Logger;
  progress(update: Partial<TransferProgress>): void;
  parts?: PartSink;
  /** Persists the record (its checkpoint has just changed; `changed` names where, when the protocol knows). */
  save(changed?: readonly JsonPath[]): Promise<void>;
}

export interface BoundProtocol {
  readonly name: string;
  /** Why the record's params or checkpoint do not fit this protocol; undefined when they do. */
  problem(record: TransferRecord): string | undefined;
  /** The checkpoint of a transfer that has not started. */
  emptyCheckpoint(): object;
  run(record: TransferRecord, context: RunContext): Promise<void>;
  hook(hook: HookName, record: TransferRecord, context: HookContext, error?: unknown): Promise<void>;
  checkResumable(record: TransferRecord): Promise<string | undefined>;
}

export function bindProtocol<P, C extends object>(protocol: Protocol<P, C>): BoundProtocol {
  const { kind } = protocol;
  const typed = (record: TransferRecord): TransferRecord<P, C> => {
    if (isTransferOf(kind, record)) return record;
    throw new Error(`transfer ${record.label} does not fit protocol ${kind.name}: ${transferProblem(kind, record) ?? `it is a ${record.protocol} transfer`}`);
  };
  return {
    name: kind.name,
    problem: (record) => (record.protocol === kind.name ? transferProblem(kind, record) : `it is a ${record.protocol} transfer`),
    emptyCheckpoint: () => ({}),
    run: (record, context) => {
      const r = typed(record);
      return protocol.run({
        record: r,
        signal: context.signal,
        logger: context.logger,
        progress: context.progress,
        parts: context.parts,
        checkpoint: async (update, changed) => {
          Object.assign(r.checkpoint, update);
          await context.save(changed);
        },
      });
    },
    hook: async (hook, record, context, error) => {
      const r = typed(record);
      if (hook === 'onFailed') await protocol.onFailed?.(r, error, context);
      else await protocol[hook]?.(r, context);
    },
    checkResumable: async (record) => protocol.checkResumable?.(typed(record)),
  };
}
