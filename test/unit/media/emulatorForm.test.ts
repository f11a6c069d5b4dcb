// The emulated media backend reads FormData into a null-prototype object: a field named __proto__ or
// constructor is a field like any other, and nothing reaches Object.prototype.
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readForm } from '../../../emulator/media/form';

describe('media emulator forms', () => {
  let server: Server;
  let url = '';
  before(async () => {
    server = createServer((req, res) => {
      readForm({ req }).then(
        (fields) => res.end(JSON.stringify({ prototype: Object.getPrototypeOf(fields) === null ? 'null' : 'Object', own: Object.getOwnPropertyNames(fields).sort(), values: Object.getOwnPropertyNames(fields).sort().map((k) => fields[k]) })),
        (err: unknown) => res.end(JSON.stringify({ error: String(err) })),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const encoding of ['multipart', 'urlencoded'] as const) {
    it(`keeps fields named __proto__, constructor and toString as its own (${encoding})`, async () => {
      const entries: [string, string][] = [['__proto__', 'p'], ['constructor', 'c'], ['toString', 't'], ['status', '3']];
      let body: FormData | URLSearchParams;
      if (encoding === 'multipart') {
        body = new FormData();
        for (const [k, v] of entries) body.append(k, v);
      } else body = new URLSearchParams(entries);
      const answer = (await (await fetch(url, { method: 'PATCH', body })).json()) as { prototype: string; own: string[]; values: string[] };
      assert.equal(answer.prototype, 'null');
      assert.deepEqual(answer.own, ['__proto__', 'constructor', 'status', 'toString']);
      assert.deepEqual(answer.values, ['p', 'c', '3', 't']);
      assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    });
  }
});
