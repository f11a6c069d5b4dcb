// The emulator's schema inference for simple SELECTs.
import * as assert from 'node:assert/strict';
import { inferSchema, splitTopLevel } from '../../../emulator/pandora/sql';

const tables = new Map([['logs', [{ key: 'host', valtype: 'string' as const }, { key: 'bytes', valtype: 'long' as const }, { key: 'ts', valtype: 'date' as const }]]]);

describe('emulator schemaInfer', () => {
  it('columns keep their source type; aliases rename; COUNT long; SUM/AVG float; other expressions string', () => {
    const r = inferSchema('SELECT host, ts AS day, COUNT(*) AS n, SUM(bytes) total, AVG(bytes) AS mean, concat(host, \'x\') AS c FROM logs GROUP BY host', tables);
    assert.ok('schema' in r);
    assert.deepEqual(r.schema.map((f) => [f.key, f.valtype]), [['host', 'string'], ['day', 'date'], ['n', 'long'], ['total', 'float'], ['mean', 'float'], ['c', 'string']]);
  });
  it('* expands the table; comments and magic variables are ignored', () => {
    const r = inferSchema('-- daily\nselect * /* all */ from logs where ts > $(day);', tables);
    assert.ok('schema' in r);
    assert.deepEqual(r.schema.map((f) => f.key), ['host', 'bytes', 'ts']);
  });
  it('refuses non-SELECT statements and unknown tables', () => {
    assert.ok('error' in inferSchema('DELETE FROM logs', tables));
    assert.ok('error' in inferSchema('SELECT a FROM nowhere', tables));
  });
  it('a table named like an Object member (constructor) is a table, not something inherited', () => {
    assert.ok('error' in inferSchema('SELECT a FROM constructor', tables));
    const r = inferSchema('SELECT host FROM constructor', new Map([['constructor', [{ key: 'host', valtype: 'string' }]]]));
    assert.ok('schema' in r);
    assert.deepEqual(r.schema.map((f) => f.key), ['host']);
  });
  it('an unknown table or column is refused as Spark words it, with the line (1-based) and pos (0-based) it is at', () => {
    const table = inferSchema('-- daily\nSELECT host\n  FROM  nowhere', tables);
    assert.ok('error' in table);
    assert.equal(table.error, 'Table or view not found: nowhere; line 3 pos 8');
    const column = inferSchema('SELECT host,\n  hostx AS h FROM logs', tables);
    assert.ok('error' in column);
    assert.match(column.error, /^cannot resolve '`hostx`' given input columns: \[logs\.host, logs\.bytes, logs\.ts\]; line 2 pos 2$/);
    assert.ok('schema' in inferSchema('SELECT host, true AS t, logs.bytes FROM logs', tables));
  });
  it('splits only on top-level commas', () => {
    assert.deepEqual(splitTopLevel("a, f(b, c), 'x,y' AS s"), ['a', 'f(b, c)', "'x,y' AS s"]);
  });
});
