// The Pandora signer: vectors computed independently (Python hmac/base64 over the SDK's string-to-sign).
import * as assert from 'node:assert/strict';
import { canonicalHeaderName, httpDate, pandoraAuthorization, pathToSign, serverPath, stringToSign } from '../../../src/api/pandora/sign';

const demo = { accessKey: 'demo-ak', secretKey: 'demo-sk' };
const other = { accessKey: 'AK2', secretKey: 's3cr3t/+key' };
const DATE = 'Tue, 24 Nov 2026 18:00:00 GMT';

describe('pandora signature', () => {
  const vectors: { name: string; request: Parameters<typeof pandoraAuthorization>[0]; credentials: typeof demo; text: string; header: string }[] = [
    {
      name: 'GET without body: empty Content-MD5 and Content-Type lines',
      request: { method: 'GET', path: '/v2/datasources', date: DATE },
      credentials: demo,
      text: `GET\n\n\n${DATE}\n/v2/datasources`,
      header: 'Pandora demo-ak:Rao-ND_oyotBmdf00LF-rczpU9k=',
    },
    {
      name: 'POST with a content type',
      request: { method: 'POST', path: '/v2/jobs/daily_traffic', contentType: 'application/json', date: DATE },
      credentials: demo,
      text: `POST\n\napplication/json\n${DATE}\n/v2/jobs/daily_traffic`,
      header: 'Pandora demo-ak:ukoDet9J48CAFI6mLTzeeWkuMnw=',
    },
    {
      name: 'Content-MD5 and another Date; lower-case method is upper-cased',
      request: { method: 'post', path: '/v2/jobs/j/actions/start', contentType: 'application/json', contentMd5: 'd41d8cd98f00b204e9800998ecf8427e', date: 'Wed, 25 Nov 2026 01:02:03 GMT' },
      credentials: demo,
      text: 'POST\nd41d8cd98f00b204e9800998ecf8427e\napplication/json\nWed, 25 Nov 2026 01:02:03 GMT\n/v2/jobs/j/actions/start',
      header: 'Pandora demo-ak:zV6RQtxBdeg0dxFntAdcuS_njD8=',
    },
    {
      name: 'X-Qiniu-* headers sorted, lower-cased, other headers ignored',
      request: {
        method: 'PUT',
        path: '/v2/jobs/j/exports/e',
        contentType: 'application/json',
        date: DATE,
        headers: { 'x-qiniu-zeta': 'last', 'X-Qiniu-A': '1', 'Content-Type': 'application/json', 'X-Other': 'no', 'X-Qiniu-': 'prefix only' },
      },
      credentials: other,
      text: `PUT\n\napplication/json\n${DATE}\n\nx-qiniu-a:1\nx-qiniu-zeta:last/v2/jobs/j/exports/e`,
      header: 'Pandora AK2:clSe1H8ntQGmI5QhohwTQSgjon0=',
    },
    {
      name: 'a secret with / and +; the query is not signed',
      request: { method: 'GET', path: '/v2/jobs/j/history', date: DATE },
      credentials: other,
      text: `GET\n\n\n${DATE}\n/v2/jobs/j/history`,
      header: 'Pandora AK2:_OLH9_A3PT-KVJTQYtISQrKgdus=',
    },
  ];

  it('signs the path the server decodes (Go\'s req.URL.Path): a job named 中文 is /v2/jobs/中文, not its %-escapes', () => {
    const sent = '/v2/jobs/%E4%B8%AD%E6%96%87/actions/start';
    assert.equal(serverPath(sent), '/v2/jobs/中文/actions/start');
    const request = { method: 'POST', path: serverPath(sent), contentType: 'application/json', date: DATE };
    assert.equal(stringToSign(request), `POST\n\napplication/json\n${DATE}\n/v2/jobs/中文/actions/start`);
    // Python: hmac-sha1 over the UTF-8 bytes of that text, urlsafe base64.
    assert.equal(pandoraAuthorization(request, demo), 'Pandora demo-ak:6MdLrh08AYMBs22vT4pdM9EZjM4=');
    assert.equal(pandoraAuthorization({ ...request, path: sent }, demo), 'Pandora demo-ak:5q_ahn8SX2xjalfjZT4sbzWtUbc=');
    assert.equal(serverPath('/pandora/v2/jobs/a%20b/history'), '/pandora/v2/jobs/a b/history');
    assert.equal(pandoraAuthorization({ method: 'GET', path: '/pandora/v2/jobs/a b/history', date: DATE }, demo), 'Pandora demo-ak:hst30DkH7riqKGNIf5Ll4Um-IbQ=');
  });

  it('signs the whole request path: a base URL\'s own path comes first; asSent keeps the escapes', () => {
    assert.equal(pathToSign('https://pipeline.example/pandora/', '/v2/jobs/%E4%B8%AD%E6%96%87', 'decoded'), '/pandora/v2/jobs/中文');
    assert.equal(pathToSign('https://pipeline.example/pandora', '/v2/jobs/%E4%B8%AD%E6%96%87', 'asSent'), '/pandora/v2/jobs/%E4%B8%AD%E6%96%87');
    assert.equal(pathToSign('http://127.0.0.1:8787', '/v2/jobs/a%2Fb', 'decoded'), '/v2/jobs/a/b');
  });

  for (const v of vectors) {
    it(v.name, () => {
      assert.equal(stringToSign(v.request), v.text);
      assert.equal(pandoraAuthorization(v.request, v.credentials), v.header);
    });
  }

  it('every input changes the signature', () => {
    const base = { method: 'POST', path: '/v2/jobs/a', contentType: 'application/json', date: DATE, headers: { 'X-Qiniu-Trace': 't' } };
    const sig = pandoraAuthorization(base, demo);
    const variants = [
      { ...base, method: 'PUT' },
      { ...base, path: '/v2/jobs/b' },
      { ...base, contentType: 'text/plain' },
      { ...base, contentMd5: 'x' },
      { ...base, date: 'Tue, 24 Nov 2026 18:00:01 GMT' },
      { ...base, headers: { 'X-Qiniu-Trace': 'u' } },
    ];
    for (const v of variants) assert.notEqual(pandoraAuthorization(v, demo), sig);
    assert.notEqual(pandoraAuthorization(base, { ...demo, secretKey: 'other' }), sig);
    assert.equal(pandoraAuthorization({ ...base, headers: { 'X-Qiniu-Trace': 't', 'User-Agent': 'x' } }, demo), sig);
  });

  it('canonicalises header names like Go and formats the Date as RFC 1123 GMT', () => {
    assert.equal(canonicalHeaderName('x-qiniu-request-id'), 'X-Qiniu-Request-Id');
    assert.equal(canonicalHeaderName('X-QINIU-A'), 'X-Qiniu-A');
    assert.equal(httpDate(new Date(Date.UTC(2026, 10, 24, 18, 0, 0))), DATE);
  });
});
