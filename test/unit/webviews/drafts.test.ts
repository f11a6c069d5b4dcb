// Unsaved edits of the editor pages: what the page reports (DraftTracker), and the webview states the panel
// serializers accept after a window reload (the connector's secret never comes back from one).
import { strict as assert } from 'node:assert';
import { parseConnectorFormState, parsePageMessage, type ConnectorFormValues } from '../../../src/webviews/connectorFormProtocol';
import { parseExportEditorMessage, parseExportEditorState } from '../../../src/webviews/exportEditorProtocol';
import { parseJobEditorMessage, parseJobEditorState, type JobDraft } from '../../../src/webviews/jobEditorProtocol';
import { DraftTracker, errorSummary } from '../../../src/webviews/ui/_formKit';

const job: JobDraft = { name: 'daily', body: { srcs: [{ name: 'weblogs', type: 'DataSource', tableName: 'logs' }], computation: { type: 'SQL', code: 'SELECT 1' }, scheduler: { type: 'manual' } } };
const values: ConnectorFormValues = { name: 'c1', sourceType: 's3', endpoint: 'https://s3.example.com', accessKeyId: 'AK', accessKeySecret: 'SK', bucketName: 'b', region: 'r', pathStyle: true };

describe('editor drafts', () => {
  it('DraftTracker reports a draft once it differs from what was saved, null once it matches again, and only changes', () => {
    const reported: (JobDraft | null)[] = [];
    const kept: (JobDraft | undefined)[] = [];
    const tracker = new DraftTracker<JobDraft>((d) => reported.push(d), (d) => kept.push(d));
    tracker.saved(job);
    tracker.changed(job);
    const edited = { ...job, body: { ...job.body, computation: { type: 'SQL', code: 'SELECT 2' } } };
    tracker.changed(edited);
    tracker.changed(edited);
    tracker.changed(job);
    assert.deepEqual(reported, [null, edited, null]);
    assert.deepEqual(kept, [undefined, edited, undefined]);
    // A save makes the edited form the baseline, and says so even if nothing changed since the last report.
    tracker.changed(edited);
    tracker.saved(edited);
    assert.deepEqual(reported.slice(3), [edited, null]);
  });

  it('the job editor accepts a draft, null and cancel, and a state with or without a draft; refuses other shapes', () => {
    assert.deepEqual(parseJobEditorMessage({ type: 'draft', draft: job }), { type: 'draft', draft: job });
    assert.deepEqual(parseJobEditorMessage({ type: 'draft', draft: null }), { type: 'draft', draft: null });
    assert.deepEqual(parseJobEditorMessage({ type: 'cancel' }), { type: 'cancel' });
    for (const bad of [{ type: 'draft' }, { type: 'draft', draft: { name: 'x', body: { srcs: 'no' } } }, { type: 'draft', draft: { name: 7, body: job.body } }]) assert.equal(parseJobEditorMessage(bad), undefined, JSON.stringify(bad));
    assert.deepEqual(parseJobEditorState({ job: 'daily', draft: job }), { job: 'daily', draft: job });
    assert.deepEqual(parseJobEditorState({ job: null }), { job: null });
    for (const bad of [undefined, null, 'daily', { job: 3 }, { job: 'daily', draft: { name: 'daily' } }]) assert.equal(parseJobEditorState(bad), undefined, JSON.stringify(bad));
  });

  it('the export editor accepts a draft and its state; refuses an unknown type', () => {
    const draft = { name: 'e', body: { type: 'kodo', spec: { bucket: 'b', format: 'json' } } };
    assert.deepEqual(parseExportEditorMessage({ type: 'draft', draft }), { type: 'draft', draft });
    assert.deepEqual(parseExportEditorState({ job: 'daily', export: null, draft }), { job: 'daily', export: null, draft });
    assert.equal(parseExportEditorState({ job: 'daily', export: null, draft: { name: 'e', body: { type: 'ftp', spec: {} } } }), undefined);
    assert.equal(parseExportEditorState({ export: 'e' }), undefined);
  });

  it('a connector form state never gives the secret back, whatever it holds', () => {
    assert.deepEqual(parseConnectorFormState({ connector: 4, draft: values }), { connector: 4, draft: { ...values, accessKeySecret: '' } });
    assert.deepEqual(parseConnectorFormState({ connector: null }), { connector: null });
    for (const bad of [{ connector: '4' }, { connector: 1.5 }, { connector: null, draft: { ...values, extra: 1 } }]) assert.equal(parseConnectorFormState(bad), undefined, JSON.stringify(bad));
    assert.deepEqual(parsePageMessage({ type: 'draft', draft: values }), { type: 'draft', draft: values });
    assert.deepEqual(parsePageMessage({ type: 'draft', draft: null }), { type: 'draft', draft: null });
  });

  it('the summary at the top names each field by its label, the form error first', () => {
    assert.equal(errorSummary({ 'container.count': 'too many', _form: 'HTTP 400' }, (p) => (p === 'container.count' ? 'Count' : p)), 'HTTP 400\nCount: too many');
  });
});
