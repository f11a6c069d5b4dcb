// redact(): what looks like a credential is masked (headers, query strings, JSON, presigned signatures), and nothing else.
import * as assert from 'node:assert/strict';
import { redact } from '../../../src/api/logger';

const SECRET = 's3cr3t-VALUE_42';

describe('redact()', () => {
  const masked: [string, string][] = [
    ['an Authorization header with a Bearer token', `Authorization: Bearer ${SECRET}`],
    ['a lower-case authorization header', `authorization: bearer ${SECRET}`],
    ['a custom scheme after Authorization', `Authorization: Custom ${SECRET}`],
    ['a Pandora signature', `Authorization: Pandora demo-ak:${SECRET}`],
    ['a Bearer token on its own', `the server said: Bearer ${SECRET} is not valid`],
    ['secretKey=', `secretKey=${SECRET}&b=1`],
    ['secret_key in JSON', `{"secret_key":"${SECRET}","a":1}`],
    ['accessKeySecret in JSON', `{"accessKeySecret": "${SECRET}"}`],
    ['an Access-Token header', `Access-Token: ${SECRET}`],
    ['a token in a query string', `/api/task?token=${SECRET}&x=1`],
    ['a password', `password=${SECRET}`],
    ['an sk field', `sk=${SECRET}`],
    ['a presigned URL signature', `PUT http://127.0.0.1:1/o/1?X-Expires=17&X-Signature=${SECRET}`],
    ['an S3 SigV4 signature', `https://b.example/k?X-Amz-Signature=${SECRET}&X-Amz-Date=1`],
    ['an OSS security token', `x-oss-security-token: ${SECRET}`],
    ['a token list', `{"tokens":["${SECRET}"]}`],
    ['escaped JSON in a message', `{\\"token\\":\\"${SECRET}\\"}`],
  ];
  for (const [what, text] of masked) {
    it(`masks ${what}`, () => {
      const out = redact(text);
      assert.ok(!out.includes(SECRET), `${what}: "${out}" still holds the secret`);
      assert.ok(out.includes('***'), `${what}: "${out}" shows no mask`);
    });
  }

  it('keeps the scheme so that a log still says how the request was authenticated', () => {
    assert.equal(redact(`Authorization: Bearer ${SECRET}`), 'Authorization: Bearer ***');
  });

  const untouched = [
    'task=upload-42&mask:255.255.255.0',
    'GET /api/task/upload/init?subtask_id=demo-subtask-001',
    'mask: 0022',
    'disk=/dev/sda1 risk=low desk=3',
    'user-id: u1, uid: ws-1',
    'the token was refused',
    'authHeader: Authorization',
    'A Basic plan is enough',
  ];
  for (const text of untouched) {
    it(`leaves "${text}" alone`, () => {
      assert.equal(redact(text), text);
    });
  }

  it('is idempotent', () => {
    for (const [, text] of masked) assert.equal(redact(redact(text)), redact(text));
  });
});
