// Fuzz: subtask ids. The client refuses a malformed id by name before sending it; the emulator answers every well-formed one.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateSubtaskId } from '../../../src/api/datahub/client';
import { ValidationError } from '../../../src/api/errors';
import { useTestEmulator } from '../helpers/emulator';
import { FUZZ_IO_RUNS, fuzzParameters, fuzzTimeoutMs } from '../helpers/fuzz';

const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
/** Ids that are also names of Object.prototype members: a map keyed by plain object would find them "present". */
const PROTOTYPE_NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
const anyId = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 140 }), fc.stringMatching(WELL_FORMED), fc.constantFrom(...PROTOTYPE_NAMES, '__proto__', ' id ', '', '../x', 'a b'));
const wellFormedId = fc.oneof(fc.stringMatching(WELL_FORMED), fc.constantFrom(...PROTOTYPE_NAMES.filter((n) => WELL_FORMED.test(n))));

describe('fuzz · subtask ids', function () {
  this.timeout(fuzzTimeoutMs(60));

  it('validateSubtaskId returns the trimmed well-formed id (idempotently) or throws a ValidationError naming subtask_id', () => {
    fc.assert(
      fc.property(anyId, (raw) => {
        let id: string;
        try {
          id = validateSubtaskId(raw);
        } catch (e) {
          assert.ok(e instanceof ValidationError && e.field === 'subtask_id', String(e));
          assert.ok(!WELL_FORMED.test(raw.trim()), `${JSON.stringify(raw)} is well formed but was refused`);
          return;
        }
        assert.equal(id, raw.trim());
        assert.match(id, WELL_FORMED);
        assert.equal(validateSubtaskId(id), id);
      }),
      fuzzParameters(),
    );
  });

  describe('against the emulator', () => {
    const emu = useTestEmulator(['datahub']);

    // Pending until the emulator's per-subtask bookkeeping is a Map or a null-prototype object (issue 11, "High":
    // h-stores' item). Today update_status for a subtask named "constructor" that was never created answers 500
    // (it finds Object.prototype.constructor); remove the skip once that lands.
    it.skip('answers every well-formed id (prototype member names included), created or not, without a 5xx', async () => {
      const post = (path: string, body: unknown): Promise<Response> => fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      await fc.assert(
        fc.asyncProperty(wellFormedId, fc.boolean(), async (id, create) => {
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
