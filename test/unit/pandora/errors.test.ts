// Pandora error bodies → ApiError parts: the E18xxx code, its meaning from the table (English or Chinese), 401.
import * as assert from 'node:assert/strict';
import { parsePandoraError } from '../../../src/api/pandora/client';
import { PANDORA_CODES, codeOf, meaningOf } from '../../../src/api/pandora/codes';

describe('pandora error codes', () => {
  it('reads the code and adds the meaning from the table', () => {
    assert.deepEqual(parsePandoraError({ error: 'E18202: job nightly does not exist' }, 404), { code: 'E18202', message: 'job does not exist (job nightly does not exist)' });
    assert.deepEqual(parsePandoraError({ error: 'E18214' }, 400, 'zh-cn'), { code: 'E18214', message: '计算任务中容器数量非法' });
    assert.deepEqual(parsePandoraError({ error: 'something else' }, 500), { message: 'something else' });
    assert.deepEqual(parsePandoraError(undefined, 502), {});
  });
  it('401 is bad token with what to check', () => {
    const parsed = parsePandoraError({ error: 'bad token' }, 401);
    assert.equal(parsed.code, 401);
    assert.match(parsed.message ?? '', /^bad token: check the AccessKey\/SecretKey \(or token\) and the computer's clock$/);
  });
  it('the table has the document statuses', () => {
    assert.equal(PANDORA_CODES.E18003.status, 411);
    assert.equal(PANDORA_CODES.E18124.status, 202);
    assert.equal(PANDORA_CODES.E18203.status, 415);
    assert.equal(PANDORA_CODES.E18301.status, 409);
    assert.equal(Object.keys(PANDORA_CODES).length, 51);
    assert.equal(codeOf(' E18101: x'), 'E18101');
    assert.equal(codeOf('E1810: x'), undefined);
    assert.equal(meaningOf('E99999'), undefined);
  });
});
