// The pages' message schemas (one per page, used by the host and the page alike): a malformed message is refused with
// a problem that names its field and never quotes its content; what the host sends passes the page's check.
import { strict as assert } from 'node:assert';
import { connectorHostSchema, connectorPageSchema, formValuesOf } from '../../../src/webviews/connectorFormProtocol';
import { exportEditorHostSchema, exportEditorPageSchema } from '../../../src/webviews/exportEditorProtocol';
import { jobEditorHostSchema, jobEditorPageSchema } from '../../../src/webviews/jobEditorProtocol';
import { parseWith } from '../../../src/webviews/messages';

const values = { name: 'c1', sourceType: 's3', endpoint: 'https://s3.example.com', accessKeyId: 'AK', accessKeySecret: 'the-secret', bucketName: 'b', region: 'r', pathStyle: true };
const body = { srcs: [{ name: 'weblogs', type: 'DataSource', tableName: 'logs' }], computation: { type: 'SQL', code: 'SELECT 1' }, scheduler: { type: 'manual' } };

/** The problem `schema` finds in `message` (fails when it accepts it). */
function problem(schema: Parameters<typeof parseWith>[0], message: unknown): string {
  const parsed = parseWith(schema, message);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(message)}`);
  return parsed.ok ? '' : parsed.problem;
}

describe('webview message schemas', () => {
  it('name the field a malformed page message got wrong', () => {
    assert.match(problem(connectorPageSchema, { type: 'save', requestId: 1, payload: { ...values, pathStyle: 'yes' } }), /^payload\.pathStyle: expected boolean/);
    assert.match(problem(connectorPageSchema, { type: 'save', requestId: 1.5, payload: values }), /^requestId: /);
    assert.match(problem(connectorPageSchema, { type: 'save', requestId: 1, payload: { ...values, extra: 1 } }), /^payload\.extra: is not expected/);
    assert.match(problem(connectorPageSchema, { type: 'delete' }), /^type: expected \("ready" \| "cancel" \| "initFailed"/);
    assert.match(problem(jobEditorPageSchema, { type: 'save', requestId: 1, payload: { name: 'j', body: { ...body, srcs: [{ name: 'x', type: 'Table', tableName: 't' }] } } }), /^payload\.body\.srcs\.0\.type: expected \("DataSource" \| "Job"\)/);
    assert.match(problem(jobEditorPageSchema, { type: 'save', requestId: 1, payload: { name: 'j', body: { ...body, container: { type: '1U2G', count: Number.NaN } } } }), /^payload\.body\.container\.count: /);
    assert.match(problem(exportEditorPageSchema, { type: 'save', requestId: 1, payload: { name: 'e', body: { type: 'logdb', spec: { destRepoName: 'r', doc: { a: 5 } } } } }), /^payload\.body\.spec\.doc: /);
    assert.match(problem(exportEditorPageSchema, { type: 'save', requestId: 1, payload: { name: 'e', body: { type: 'mysql', spec: {} } } }), /^payload\.body\.type: /);
  });

  it('never quote what the page sent (a connector message holds the secret)', () => {
    for (const secret of [12345, 'x'.repeat(5000)]) {
      const text = problem(connectorPageSchema, { type: 'save', requestId: 1, payload: { ...values, accessKeySecret: secret } });
      assert.match(text, /^payload\.accessKeySecret: /);
      assert.ok(!text.includes(String(secret)), text);
    }
  });

  it('accept initFailed both ways (the page failed to start; the host could not load the data), and check its message', () => {
    for (const schema of [connectorPageSchema, jobEditorPageSchema, exportEditorPageSchema, connectorHostSchema, jobEditorHostSchema, exportEditorHostSchema]) {
      assert.equal(parseWith(schema, { type: 'initFailed', message: 'HTTP 502' }).ok, true);
      assert.match(problem(schema, { type: 'initFailed', message: 502 }), /^message: expected string/);
      assert.match(problem(schema, { type: 'initFailed' }), /^message: is missing/);
    }
  });

  it('let through what the hosts send: inits, responses with and without a result, sqlChanged', () => {
    const strings = Object.fromEntries(['title', 'name', 'sourceType', 'endpoint', 'accessKeyId', 'accessKeySecret', 'secretKeepHint', 'bucketName', 'region', 'pathStyle', 'validate', 'save', 'cancel', 'working', 'couldNotSave'].map((k) => [k, k]));
    const problems = Object.fromEntries(['required', 'tooLong', 'badEndpoint', 'badBucket', 'badSourceType', 'badId', 'whitespace'].map((k) => [k, k]));
    const accepted = [
      [connectorHostSchema, { type: 'init', mode: 'create', connector: null, values: formValuesOf(undefined), strings: { ...strings, problems } }],
      [connectorHostSchema, { type: 'response', requestId: 1, ok: false, errors: { _form: 'Still working' } }],
      [connectorHostSchema, { type: 'response', requestId: 1, ok: true, result: { message: 'Saved.', saved: true } }],
      [jobEditorHostSchema, { type: 'init', mode: 'edit', draft: { name: 'j', body }, schema: [{ key: 'host', valtype: 'string' }], sources: [], strings: {} }],
      [jobEditorHostSchema, { type: 'response', requestId: 2, ok: true, result: [{ key: 'hits', valtype: 'long', required: false }] }],
      [jobEditorHostSchema, { type: 'sqlChanged', code: 'SELECT 2', save: true }],
      [exportEditorHostSchema, { type: 'init', mode: 'create', jobName: 'j', draft: { name: '', body: { type: 'kodo', spec: { bucket: '', fileCount: 1 } } }, columns: [], strings: {} }],
    ] as const;
    for (const [schema, message] of accepted) {
      const parsed = parseWith(schema, message);
      assert.ok(parsed.ok, `${JSON.stringify(message)}: ${parsed.ok ? '' : parsed.problem}`);
    }
    assert.match(problem(connectorHostSchema, { type: 'init', mode: 'create', connector: null, values: formValuesOf(undefined), strings }), /^strings\.problems: /);
  });

  it('check the editor fields every init has (editorInitFields): its unsaved edits against the page\'s draft, the errors of a failed save', () => {
    const jobInit = { type: 'init', mode: 'edit', draft: { name: 'j', body }, schema: [], sources: [], strings: {} };
    assert.equal(parseWith(jobEditorHostSchema, { ...jobInit, restored: { name: 'j2', body }, errors: { name: 'taken' } }).ok, true);
    assert.match(problem(jobEditorHostSchema, { ...jobInit, restored: { name: 'j2' } }), /^restored\.body: is missing/);
    assert.match(problem(jobEditorHostSchema, { ...jobInit, errors: { name: 1 } }), /^errors\.name: expected string/);
    assert.match(problem(jobEditorHostSchema, { ...jobInit, mode: 'view' }), /^mode: /);
    const exportInit = { type: 'init', mode: 'create', jobName: 'j', draft: { name: '', body: { type: 'kodo', spec: { bucket: '', fileCount: 1 } } }, columns: [], strings: {} };
    assert.match(problem(exportEditorHostSchema, { ...exportInit, restored: { name: 'e', body: { type: 'ftp', spec: {} } } }), /^restored\.body/);
    assert.match(problem(exportEditorHostSchema, { ...exportInit, strings: { save: 2 } }), /^strings\.save: expected string/);
    const connectorInit = { type: 'init', mode: 'create', connector: null, values: formValuesOf(undefined) };
    assert.match(problem(connectorHostSchema, { ...connectorInit, strings: {}, restored: formValuesOf(undefined) }), /^strings\./);
  });
});
