// Fuzz: subtask ids. The client refuses, by name, only an id that cannot be sent; the emulator answers every sendable one.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateSubtaskId } from '../../../src/api/datahub/client';
import { ValidationError } from '../../../src/api/errors';
import { useTestEmulator } from '../helpers/emulator';
import { FUZZ_IO_RUNS, fuzzParameters, fuzzTimeoutMs } from '../helpers/fuzz';

/** What cannot be sent as meant: control characters (the document gives ids no other format). */
// eslint-disable-next-line no-control-regex -- control characters are what the client refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const sendable = (id: string): boolean => id.trim() !== '' && !CONTROL.test(id.trim());
/** Ids that are also names of Object.prototype members: a map keyed by plain object would find them "present". */
const PROTOTYPE_NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', '__proto__'];
const anyId = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 140 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom(...PROTOTYPE_NAMES, ' id ', '', '  ', '../x', 'a b', 'a\nb', 'a\u0085b'));
const sendableId = fc.oneof(anyId.map((id) => id.trim()).filter(sendable), fc.constantFrom(...PROTOTYPE_NAMES));

describe('fuzz · subtask ids', function () {
  this.timeout(fuzzTimeoutMs(60));

  it('validateSubtaskId returns the trimmed id (idempotently), or throws a ValidationError naming subtask_id for an empty one or one with control characters', () => {
    fc.assert(
      fc.property(anyId, (raw) => {
        let id: string;
        try {
          id = validateSubtaskId(raw);
        } catch (e) {
          assert.ok(e instanceof ValidationError && e.field === 'subtask_id', String(e));
          assert.ok(!sendable(raw), `${JSON.stringify(raw)} can be sent but was refused`);
          return;
        }
        assert.equal(id, raw.trim());
        assert.ok(sendable(id), `${JSON.stringify(raw)} was accepted`);
        assert.equal(validateSubtaskId(id), id);
      }),
      fuzzParameters(),
    );
  });

  describe('against the emulator', () => {
    const emu = useTestEmulator(['datahub']);

    // A map keyed by plain object answered 500 here for a subtask named "constructor" that was never created.
    it('answers every sendable id (prototype member names included), created or not, without a 5xx', async () => {
      const post = (path: string, body: unknown): Promise<Response> => fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      await fc.assert(
        fc.asyncProperty(sendableId, fc.boolean(), async (id, create) => {
          if (create) {
            const created = await post('/_emulator/subtasks', { subtask_id: id });
            assert.ok(created.status < 500, `create ${id}: ${created.status} ${await created.text()}`);
          }
          const answers = [
            ['presign', await fetch(`${emu.url}/api/task/download/presign?subtask_id=${encodeURIComponent(id)}`)],
            ['init', await post('/api/task/upload/init', { subtask_id: id, file_name: 'f.bin', file_size: 1, file_md5: '0cc175b9c0f1b6a831c399e269772661' })],
            ['update_status', await post('/api/task/update_status', { subtask_id: id, status: 1 })],
            ['heartbeat', await post('/api/task/heartbeat', { subtask_id: id, timestamp: 1, process: 1 })],
            ['result', await post('/api/task/result', { subtask_id: id, result: { total: 1, success: 1 } })],
          ] as const;
          for (const [route, answer] of answers) assert.ok(answer.status < 500, `${route} ${id} (${create ? 'created' : 'never created'}): ${answer.status} ${await answer.text()}`);
        }),
        fuzzParameters(FUZZ_IO_RUNS),
      );
    });
  });
});
