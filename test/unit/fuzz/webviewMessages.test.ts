// Fuzz: webview messages. The host-side validators take anything a page could post: they never throw, refuse every
// malformed message, and what they accept carries only known fields of the right types (a fixed point of parsing).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePageMessage } from '../../../src/webviews/connectorFormProtocol';
import { parseExportEditorMessage } from '../../../src/webviews/exportEditorProtocol';
import { parseJobEditorMessage } from '../../../src/webviews/jobEditorProtocol';
import { parsePageMessage as parseTransferDetailsMessage } from '../../../src/webviews/transferDetailsProtocol';
import { fuzzParameters, fuzzTimeoutMs } from '../helpers/fuzz';

type Parser = (message: unknown) => unknown;

/** Valid messages of each protocol: the starting points of the mutations. */
const CONNECTOR_FORM = { name: 'c', sourceType: 's3', endpoint: 'e', accessKeyId: 'a', accessKeySecret: 's', bucketName: 'b', region: 'r', pathStyle: true };
const JOB_BODY = {
  srcs: [{ name: 'weblogs', type: 'DataSource', tableName: 't' }],
  computation: { type: 'SQL', code: 'select 1' },
  scheduler: { type: 'crontab', spec: { crontab: '0 0 * * *' } },
  container: { type: 'M16C4', count: 1 },
  params: [{ name: 'p', default: 'v' }],
};
/** A sparse array: map/some/every skip its hole, so a validator built on them lets the hole through. */
const holes = (length: number): unknown[] => new Array<unknown>(length);
const PROTOCOLS: { name: string; parse: Parser; valid: unknown[]; malformed: unknown[] }[] = [
  {
    name: 'connector form',
    parse: parsePageMessage,
    valid: [{ type: 'ready' }, { type: 'cancel' }, { type: 'validate', requestId: 1, payload: CONNECTOR_FORM }, { type: 'save', requestId: 2, payload: CONNECTOR_FORM }],
    malformed: [{ type: 'save', requestId: 2, payload: { ...CONNECTOR_FORM, extra: 1 } }, { type: 'save', requestId: 2.5, payload: CONNECTOR_FORM }],
  },
  {
    name: 'job editor',
    parse: parseJobEditorMessage,
    valid: [
      { type: 'ready' },
      { type: 'openSqlEditor', code: 'select 1' },
      { type: 'save', requestId: 3, payload: { name: 'job_a', body: JOB_BODY } },
      { type: 'inferSchema', requestId: 4, payload: { srcs: JOB_BODY.srcs, code: 'select 1' } },
    ],
    malformed: [
      { type: 'inferSchema', requestId: 4, payload: { srcs: holes(1), code: 'select 1' } },
      { type: 'save', requestId: 3, payload: { name: 'job_a', body: { ...JOB_BODY, srcs: holes(2) } } },
      { type: 'save', requestId: 3, payload: { name: 'job_a', body: { ...JOB_BODY, container: { type: 'M16C4', count: NaN } } } },
      { type: 'save', requestId: 3, payload: { name: 'job_a', body: { ...JOB_BODY, container: { type: 'M16C4', count: Infinity } } } },
    ],
  },
  {
    name: 'export editor',
    parse: parseExportEditorMessage,
    valid: [{ type: 'ready' }, { type: 'save', requestId: 5, payload: { name: 'to_logdb', body: { type: 'logdb', spec: { destRepoName: 'r', omitInvalid: false, doc: { a: '#a' } } } } }],
    malformed: [{ type: 'save', requestId: 5, payload: { name: 'to_logdb', body: { type: 'logdb', spec: { destRepoName: 'r', tags: holes(1) } } } }],
  },
  {
    name: 'transfer details',
    parse: parseTransferDetailsMessage,
    valid: [{ type: 'ready' }, { type: 'revealJournal' }, { type: 'copyJournalPath' }],
    malformed: [{ type: 'revealJournal', path: '/etc/passwd' }, { type: 'copyJournalPath', requestId: 1 }, { type: 'deleteJournal' }],
  },
];

/** Anything a page can post (structured-clone data), the awkward keys made likely. */
const keys = fc.oneof(fc.constantFrom('type', 'requestId', 'payload', 'name', 'body', 'code', 'srcs', '__proto__', 'constructor', 'prototype', 'toString'), fc.string({ maxLength: 8 }));
const anyValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, undefined, true, 0, -1, 1.5, NaN, Infinity, 2 ** 53, '', 'ready', 'save', 'x'.repeat(70_000)),
    fc.string({ maxLength: 12 }),
    fc.double(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(keys, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Sets `path` of a deep copy of `message` to `value` (or deletes it). */
function mutate(message: unknown, path: string[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(message) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== 'object' || next === null) return copy;
    target = next as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (remove) delete target[last];
  else Object.defineProperty(target, last, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** Every key path of a plain JSON value. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

/** Plain JSON all the way down: no prototype swapped in, no undefined, no NaN or Infinity (JSON would send null). */
function assertPlainJson(value: unknown): void {
  const walk = (v: unknown): void => {
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) assert.fail(`${String(v)} is not JSON`);
    if (typeof v !== 'object' || v === null) return;
    const proto: unknown = Object.getPrototypeOf(v);
    assert.ok(proto === Object.prototype || proto === Array.prototype || proto === null, 'a swapped prototype');
    for (const child of Object.values(v)) walk(child);
  };
  walk(value);
}

describe('fuzz · webview messages', function () {
  this.timeout(fuzzTimeoutMs(10));

  for (const { name, parse, valid, malformed } of PROTOCOLS) {
    describe(name, () => {
      it('accepts its valid messages (the mutations below start from these)', () => {
        for (const message of valid) assert.notEqual(parse(message), undefined, JSON.stringify(message));
      });

      it('refuses the malformed messages fuzzing found (sparse arrays, NaN and Infinity, stray fields)', () => {
        for (const message of malformed) assert.equal(parse(message), undefined, JSON.stringify(message));
      });

      it('never throws on anything, and what it accepts is plain JSON that parses to itself', () => {
        fc.assert(
          fc.property(fc.oneof(anyValue, fc.constantFrom(...valid).chain((m) => fc.tuple(fc.constantFrom(...paths(m)), anyValue, fc.boolean()).map(([p, v, r]) => mutate(m, p, v, r)))), (message) => {
            const parsed = parse(message);
            if (parsed === undefined) return;
            assertPlainJson(parsed);
            const sent = JSON.stringify(parsed);
            assert.equal(JSON.stringify(parse(JSON.parse(sent))), sent);
          }),
          fuzzParameters(),
        );
      });

      it('refuses a message whose type, request id or payload has the wrong type', () => {
        const wrongTypes = fc.constantFrom<unknown>(null, 42, -1, 1.5, '1', true, [], {}, 'x'.repeat(70_000));
        fc.assert(
          fc.property(fc.constantFrom(...valid), wrongTypes, (message, wrong) => {
            const m = message as Record<string, unknown>;
            assert.equal(parse(mutate(m, ['type'], wrong, false)), undefined, `type ${JSON.stringify(wrong)?.slice(0, 40)}`);
            if ('requestId' in m) {
              if (!(typeof wrong === 'number' && Number.isInteger(wrong) && wrong >= 0)) assert.equal(parse(mutate(m, ['requestId'], wrong, false)), undefined, `requestId ${String(wrong).slice(0, 20)}`);
              assert.equal(parse(mutate(m, ['requestId'], undefined, true)), undefined, 'no requestId');
            }
            if ('payload' in m) {
              assert.equal(parse(mutate(m, ['payload'], undefined, true)), undefined, 'no payload');
              if (typeof wrong !== 'object' || wrong === null || Array.isArray(wrong)) assert.equal(parse(mutate(m, ['payload'], wrong, false)), undefined, 'payload not an object');
            }
          }),
          fuzzParameters(),
        );
      });
    });
  }
});
