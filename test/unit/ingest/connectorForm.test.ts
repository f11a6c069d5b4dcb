// The connector form's protocol (what the host accepts from the page) and the shared connector input rules.
import { strict as assert } from 'node:assert';
import { SourceType, type Connector } from '../../../src/api/ingest/types';
import { connectorInputErrors } from '../../../src/api/ingest/validation';
import { formValuesOf, parseFormValues, parsePageMessage, toConnectorInput, type ConnectorFormValues } from '../../../src/webviews/connectorFormProtocol';

const values: ConnectorFormValues = {
  name: 'c1', sourceType: 's3', endpoint: 'https://s3.example.com', accessKeyId: 'AK', accessKeySecret: 'SK', bucketName: 'my-bucket', region: 'eu-west-1', pathStyle: true,
};

describe('connector form protocol', () => {
  it('accepts ready, cancel and well-formed validate/save requests', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parsePageMessage({ type: 'cancel' }), { type: 'cancel' });
    assert.deepEqual(parsePageMessage({ type: 'save', requestId: 3, payload: values }), { type: 'save', requestId: 3, payload: values });
    assert.deepEqual(parsePageMessage({ type: 'validate', requestId: 0, payload: values })?.type, 'validate');
  });

  it('refuses unknown types, missing request ids and non-objects', () => {
    for (const bad of [null, 'save', 42, [], { type: 'delete', requestId: 1, payload: values }, { type: 'save', payload: values }, { type: 'save', requestId: -1, payload: values }, { type: 'save', requestId: 1.5, payload: values }, { requestId: 1 }]) {
      assert.equal(parsePageMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('refuses payloads with a wrong field type, a missing field, an extra field or an unknown source type', () => {
    const variants: unknown[] = [
      { ...values, pathStyle: 'true' },
      { ...values, name: 5 },
      { ...values, sourceType: 4 },
      { ...values, sourceType: 'ftp' },
      { ...values, extra: 'x' },
      (({ region: _r, ...rest }) => rest)(values),
      { ...values, endpoint: 'x'.repeat(5000) },
    ];
    for (const payload of variants) {
      assert.equal(parseFormValues(payload), undefined, JSON.stringify(payload).slice(0, 80));
      assert.equal(parsePageMessage({ type: 'save', requestId: 1, payload }), undefined);
    }
  });

  it('maps form values to the connector input (region and path style for S3 only)', () => {
    assert.deepEqual(toConnectorInput(values), {
      name: 'c1', sourceType: SourceType.S3, endpoint: 'https://s3.example.com', accessKeyId: 'AK', accessKeySecret: 'SK', bucketName: 'my-bucket', region: 'eu-west-1', pathStyle: true,
    });
    const oss = toConnectorInput({ ...values, sourceType: 'oss' });
    assert.equal(oss.sourceType, SourceType.OSS);
    assert.equal(oss.region, undefined);
    assert.equal(oss.pathStyle, undefined);
  });

  it('the edit form starts with every field but the secret', () => {
    const connector: Connector = {
      id: 7, sourceType: 5, name: 's3', status: 'active', createdAt: 0, updatedAt: 0, username: 'a', relatedTaskCount: 0, relatedTaskIds: [],
      endpoint: 'e.example.com', accessKeyId: 'AK', bucketName: 'bkt', region: 'r1', pathStyle: true, secretSet: true,
    };
    const v = formValuesOf(connector);
    assert.equal(v.accessKeySecret, '');
    assert.deepEqual([v.sourceType, v.endpoint, v.bucketName, v.region, v.pathStyle], ['s3', 'e.example.com', 'bkt', 'r1', true]);
  });
});

describe('connector input rules', () => {
  const input = toConnectorInput(values);
  const fields = (i: Parameters<typeof connectorInputErrors>[0], requireSecret = true) => connectorInputErrors(i, requireSecret).map((e) => `${e.field}:${e.problem}`);

  it('accepts a complete S3 input and names every bad field in form order', () => {
    assert.deepEqual(fields(input), []);
    assert.deepEqual(fields({ ...input, name: ' ', endpoint: 'not a host', accessKeySecret: '', bucketName: 'Up_Case', region: '' }), [
      'name:required', 'endpoint:badEndpoint', 'accessKeySecret:required', 'bucketName:badBucket', 'region:required',
    ]);
  });

  it('lets an edit keep the stored secret, but checks a new one', () => {
    assert.deepEqual(fields({ ...input, accessKeySecret: '' }, false), []);
    assert.deepEqual(fields({ ...input, accessKeySecret: 'has space' }, false), ['accessKeySecret:whitespace']);
  });

  it('does not ask OSS for a region', () => {
    assert.deepEqual(fields({ ...input, sourceType: SourceType.OSS, region: undefined }), []);
  });
});
