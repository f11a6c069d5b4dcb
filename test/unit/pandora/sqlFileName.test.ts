// "Edit in Editor Tab": a job name from the server becomes one file name inside the SQL folder, whatever it holds.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { sqlFileName } from '../../../src/webviews/jobSqlFile';

describe('job SQL file names (Edit in Editor Tab)', () => {
  it('keeps a plain name as it is, in any script', () => {
    assert.equal(sqlFileName('slow_job'), 'slow_job.sql');
    assert.equal(sqlFileName('daily-traffic_2'), 'daily-traffic_2.sql');
    assert.equal(sqlFileName('中文'), '中文.sql');
    assert.equal(sqlFileName(''), 'new-job.sql');
  });

  const hostile = ['../../etc/passwd', '..', '.', '../x', 'a/b', 'a\\b', '..\\..\\win', '/abs', 'C:\\x', 'x\u0000y', 'line\nbreak', 'tab\there', '\u007f', '.hidden', 'con', 'NUL', 'a'.repeat(500), 'a b', 'x:y', '%2e%2e%2f', '   '];
  for (const name of hostile) {
    it(`never leaves the folder: ${JSON.stringify(name).slice(0, 40)}`, () => {
      const file = sqlFileName(name);
      assert.doesNotMatch(file, /[/\\:]/);
      // eslint-disable-next-line no-control-regex -- what must not appear
      assert.doesNotMatch(file, /[\u0000-\u001f\u007f]/);
      assert.ok(!file.startsWith('.'), file);
      assert.ok(file.endsWith('.sql') && file.length <= 100, file);
      const dir = resolve('/tmp/pandora-sql');
      assert.equal(resolve(dir, file), join(dir, file));
      assert.equal(basename(resolve(dir, file)), file);
    });
  }

  it('two different names never share a file, and a real folder holds exactly the written files', () => {
    const names = ['a/b', 'a_b', 'a\\b', 'a b', 'a:b', '..', '.', '中文', '中/文'];
    const files = names.map(sqlFileName);
    assert.equal(new Set(files).size, names.length, files.join(' '));
    const dir = mkdtempSync(join(tmpdir(), 'pandora-sql-'));
    try {
      for (const f of files) writeFileSync(join(dir, f), 'SELECT 1');
      assert.equal(readdirSync(dir).length, names.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
