// The editors' message protocols: what the host accepts from the pages, and what it refuses.
import * as assert from 'node:assert/strict';
import { parseExportEditorMessage } from '../../../src/webviews/exportEditorProtocol';
import { parseJobEditorMessage } from '../../../src/webviews/jobEditorProtocol';

const body = {
  srcs: [{ name: 'weblogs', type: 'DataSource', tableName: 'logs', fileFilter: '' }],
  computation: { type: 'SQL', code: 'SELECT host FROM logs' },
  container: { type: '1U2G', count: 1 },
  scheduler: { type: 'crontab', spec: { crontab: '0 0 * * * ?' } },
  params: [{ name: 'day', default: '01' }],
};

describe('pandora editor protocols', () => {
  it('job editor: accepts ready, save, inferSchema and openSqlEditor of the right shape', () => {
    assert.deepEqual(parseJobEditorMessage({ type: 'ready' }), { type: 'ready' });
    const save = parseJobEditorMessage({ type: 'save', requestId: 3, payload: { name: 'j', body } });
    assert.equal(save?.type, 'save');
    // An empty file filter is dropped; the body is rebuilt from known keys only.
    assert.deepEqual(save?.type === 'save' ? save.payload.body.srcs[0] : undefined, { name: 'weblogs', type: 'DataSource', tableName: 'logs' });
    const extra = parseJobEditorMessage({ type: 'save', requestId: 4, payload: { name: 'j', body: { ...body, injected: true, container: { ...body.container, evil: 1 } } } });
    assert.ok(extra?.type === 'save' && !('injected' in extra.payload.body) && !('evil' in (extra.payload.body.container ?? {})));
    assert.equal(parseJobEditorMessage({ type: 'inferSchema', requestId: 5, payload: { srcs: body.srcs, code: 'SELECT 1' } })?.type, 'inferSchema');
    assert.deepEqual(parseJobEditorMessage({ type: 'openSqlEditor', code: 'x' }), { type: 'openSqlEditor', code: 'x' });
  });

  it('job editor: accepts the run chart\'s Refresh and a Stop / Rerun of one run id; refuses any other action or id', () => {
    assert.deepEqual(parseJobEditorMessage({ type: 'refreshRuns' }), { type: 'refreshRuns' });
    assert.deepEqual(parseJobEditorMessage({ type: 'runAction', requestId: 2, payload: { action: 'stop', runId: 3, extra: 1 } }), { type: 'runAction', requestId: 2, payload: { action: 'stop', runId: 3 } });
    assert.equal(parseJobEditorMessage({ type: 'runAction', requestId: 2, payload: { action: 'rerun', runId: 0 } })?.type, 'runAction');
    for (const payload of [{ action: 'delete', runId: 1 }, { action: 'stop', runId: -1 }, { action: 'stop', runId: 1.5 }, { action: 'stop', runId: '1' }, { action: 'rerun' }, null]) {
      assert.equal(parseJobEditorMessage({ type: 'runAction', requestId: 2, payload }), undefined, JSON.stringify(payload));
    }
    assert.equal(parseJobEditorMessage({ type: 'runAction', payload: { action: 'stop', runId: 1 } }), undefined);
  });

  it('job editor: refuses unknown types, missing request ids and wrong shapes', () => {
    for (const bad of [
      null,
      'ready',
      { type: 'delete' },
      { type: 'save', payload: { name: 'j', body } },
      { type: 'save', requestId: -1, payload: { name: 'j', body } },
      { type: 'save', requestId: 1, payload: { name: 7, body } },
      { type: 'save', requestId: 1, payload: { name: 'j', body: { ...body, srcs: 'weblogs' } } },
      { type: 'save', requestId: 1, payload: { name: 'j', body: { ...body, srcs: [{ name: 'x', type: 'Table', tableName: 't' }] } } },
      { type: 'save', requestId: 1, payload: { name: 'j', body: { ...body, container: { type: '1U2G', count: '1' } } } },
      { type: 'save', requestId: 1, payload: { name: 'j', body: { ...body, params: [{ name: 'p' }] } } },
      { type: 'inferSchema', requestId: 1, payload: { srcs: [], code: 5 } },
      { type: 'openSqlEditor', code: 'x'.repeat(200_000) },
    ]) {
      assert.equal(parseJobEditorMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 120));
    }
  });

  it('export editor: accepts a known type with plain JSON, refuses the rest', () => {
    const ok = parseExportEditorMessage({ type: 'save', requestId: 1, payload: { name: 'e', body: { type: 'logdb', spec: { destRepoName: 'r', doc: { a: 'host' } } } } });
    assert.equal(ok?.type, 'save');
    for (const bad of [
      { type: 'save', requestId: 1, payload: { name: 'e', body: { type: 'mysql', spec: {} } } },
      { type: 'save', requestId: 1, payload: { name: 'e', body: { type: 'kodo', spec: 'bucket' } } },
      { type: 'save', requestId: 1, payload: { name: 'e', body: { type: 'kodo', spec: { a: { b: { c: 1 } } } } } },
      { type: 'save', requestId: 1, payload: { name: 'e', body: { type: 'kodo', spec: JSON.parse('{"__proto__": {"x": 1}}') } } },
      { type: 'save', payload: { name: 'e', body: { type: 'kodo', spec: {} } } },
      { type: 'other' },
    ]) {
      assert.equal(parseExportEditorMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
