// Store refusals read as the stores write them: S3 and OSS XML bodies, when a 403 means "expired", Retry-After.
import * as assert from 'node:assert/strict';
import { StoreError, isExpiredUrl, parseStoreErrorBody, retryAfterMs, storeError, urlExpiresAt } from '../../../src/transfer/storeErrors';
import { withRetry } from '../../../src/transfer/retry';

// Shaped like the stores' documented examples (S3's error response; OSS's 0002-00000040 page).
const S3_SIGNATURE = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>AKIAEXAMPLE</AWSAccessKeyId><StringToSign>PUT&#10;&#10;application/octet-stream&#10;1700000000&#10;/b/k</StringToSign><RequestId>4442587FB7D0A2F9</RequestId><HostId>nGQ3Xo0/AbCd+EfGh==</HostId></Error>`;
const OSS_SIGNATURE = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>SignatureDoesNotMatch</Code>
  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>
  <RequestId>646DCB189AE2D1333018A1B2</RequestId>
  <HostId>bucket.oss-cn-hangzhou.aliyuncs.com</HostId>
  <OSSAccessKeyId>LTAIEXAMPLE</OSSAccessKeyId>
  <EC>0002-00000040</EC>
</Error>`;
const S3_EXPIRED = '<Error><Code>AccessDenied</Code><Message>Request has expired</Message><Expires>2024-01-01T00:00:00Z</Expires><ServerTime>2024-01-01T01:00:00Z</ServerTime><RequestId>AB12</RequestId><HostId>x</HostId></Error>';
const OSS_EXPIRED = '<Error><Code>AccessDenied</Code><Message>Request has expired.</Message><RequestId>5C3D</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId><EC>0002-00000069</EC></Error>';
const POLICY = '<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>77</RequestId><HostId>y</HostId></Error>';

const FUTURE = 'https://b.example/k?AWSAccessKeyId=AK&Expires=4102444800&Signature=x';

describe('store errors', () => {
  it('reads S3 XML: code, message, request id; the message shows them in the store\'s words', () => {
    assert.deepEqual(parseStoreErrorBody(S3_SIGNATURE), {
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      requestId: '4442587FB7D0A2F9',
      hostId: 'nGQ3Xo0/AbCd+EfGh==',
      ec: undefined,
    });
    const error = storeError('datahub', 403, S3_SIGNATURE, 'part 3', { url: FUTURE });
    assert.equal(error.message, 'the store refused part 3: SignatureDoesNotMatch — The request signature we calculated does not match the signature you provided. Check your key and signing method. (RequestId 4442587FB7D0A2F9)');
    assert.equal(error.code, 'SignatureDoesNotMatch');
    assert.equal(error.retryable, false);
    assert.equal(isExpiredUrl(error), false, 'a signature refusal is final, not an expiry');
  });

  it('reads pretty-printed OSS XML with HostId and EC, and shows them', () => {
    const error = storeError('datahub', 403, OSS_SIGNATURE, 'part 1', { url: FUTURE });
    assert.deepEqual(error.store, {
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      requestId: '646DCB189AE2D1333018A1B2',
      hostId: 'bucket.oss-cn-hangzhou.aliyuncs.com',
      ec: '0002-00000040',
    });
    assert.match(error.message, /\(RequestId 646DCB189AE2D1333018A1B2, HostId bucket\.oss-cn-hangzhou\.aliyuncs\.com, EC 0002-00000040\)$/);
    assert.equal(isExpiredUrl(error), false);
  });

  it('a 403 is an expired URL when the store says so (S3 and OSS wording, ExpiredToken, OSS EC)', () => {
    for (const body of [S3_EXPIRED, OSS_EXPIRED, '<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>', '<Error><Code>AccessDenied</Code><Message>x</Message><EC>0002-00000418</EC></Error>']) {
      assert.equal(isExpiredUrl(storeError('datahub', 403, body, 'part 1', { url: FUTURE })), true, body);
    }
  });

  it('any other 403 is final: policy AccessDenied, InvalidAccessKeyId, a body that is not XML', () => {
    for (const body of [POLICY, '<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>', 'Forbidden']) {
      const error = storeError('datahub', 403, body, 'part 1', { url: FUTURE });
      assert.equal(isExpiredUrl(error), false, body);
      assert.equal(error.retryable, false);
    }
  });

  it('a 403 is an expired URL when the URL\'s own expiry has passed by the local clock, whatever the body says', () => {
    const now = Date.UTC(2024, 0, 2);
    const past = 'https://b.example/k?OSSAccessKeyId=AK&Expires=1704067200&Signature=x';
    const error = storeError('datahub', 403, POLICY, 'part 2', { url: past, nowMs: now });
    assert.equal(isExpiredUrl(error), true);
    assert.match(error.message, /expired by this computer's clock/);
    assert.equal(isExpiredUrl(storeError('datahub', 404, POLICY, 'part 2', { url: past, nowMs: now })), false, 'only a 403');
  });

  it('reads the expiry of every presigned URL style', () => {
    assert.equal(urlExpiresAt('https://b/k?AWSAccessKeyId=A&Expires=1700000000&Signature=s'), 1_700_000_000_000);
    assert.equal(urlExpiresAt('https://b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-Signature=s'), Date.UTC(2024, 0, 1, 1));
    assert.equal(urlExpiresAt('https://b/k?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20240101T000000Z&x-oss-expires=60&x-oss-signature=s'), Date.UTC(2024, 0, 1, 0, 1));
    assert.equal(urlExpiresAt('https://b/k?x-oss-signature-version=OSS2&x-oss-expires=1700000000&x-oss-signature=s'), 1_700_000_000_000);
    assert.equal(urlExpiresAt('https://b/k?partNumber=1&uploadId=u'), undefined);
    assert.equal(urlExpiresAt('not a url'), undefined);
  });

  it('SlowDown, ServiceUnavailable, InternalError and a 503 with Retry-After are retryable; Retry-After is read as seconds or a date', () => {
    for (const [status, code] of [[503, 'SlowDown'], [503, 'ServiceUnavailable'], [500, 'InternalError'], [400, 'RequestTimeout']] as const) {
      assert.equal(storeError('datahub', status, `<Error><Code>${code}</Code><Message>m</Message></Error>`, 'part 1').retryable, true, code);
    }
    const slow = storeError('datahub', 503, '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>', 'part 1', { retryAfter: '2' });
    assert.equal(slow.retryAfterMs, 2000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', Date.UTC(2015, 9, 21, 7, 28, 0)), 30_000);
    assert.equal(retryAfterMs('soon'), undefined);
  });

  it('withRetry waits at least what Retry-After asks, even when its own backoff is shorter', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw new StoreError('datahub', 503, 'SlowDown', 'slow', true, { code: 'SlowDown' }, false, 1200);
        return 'ok';
      },
      { retries: 3, baseDelayMs: 1, maxDelayMs: 2, onRetry: (_e, _n, delay) => delays.push(delay) },
    );
    assert.equal(result, 'ok');
    assert.deepEqual(delays, [1200]);
  });
});
