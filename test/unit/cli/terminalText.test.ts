// What the CLI prints of a server's text: control sequences stripped, credentials masked, newline and tab kept.
import * as assert from 'node:assert/strict';
import { cli } from '../helpers/cli';
import { startHostileServer } from '../helpers/hostileServer';
import { stripControlSequences, terminalSafe } from '../../../src/cli/terminalText';

const ESC = '\u001b';
const isControl = (ch: string): boolean => {
  const c = ch.charCodeAt(0);
  return (c < 0x20 && ch !== '\n' && ch !== '\t') || (c >= 0x7f && c <= 0x9f);
};
const HOSTILE = `${ESC}[2J${ESC}[1;1Hcleared ${ESC}]0;owned title\u0007${ESC}]8;;http://evil.example\u0007link${ESC}]8;;\u0007 \u009b31mred\rback\u0008\u0000 Authorization: Bearer leaked-token-123`;

describe('terminal-safe text', () => {
  it('removes CSI, OSC (title, hyperlink), 8-bit CSI and C0 controls, keeping newline and tab', () => {
    assert.equal(stripControlSequences(`a${ESC}[31mb${ESC}[0m\tc\n${ESC}]0;t\u0007d${ESC}]8;;x${ESC}\\e\r\u0007f\u009b1mg${ESC}(Bh`), 'ab\tc\ndefgh');
  });

  it('leaves plain text and non-ASCII alone', () => {
    const text = 'uploaded 红楼梦.pdf — 42% · 85 MB/s\n\tdone';
    assert.equal(stripControlSequences(text), text);
  });

  it('masks credentials and strips controls together', () => {
    const out = terminalSafe(HOSTILE);
    assert.ok(!out.includes('leaked-token-123'));
    assert.ok(![...out].some((ch) => isControl(ch)), JSON.stringify(out));
  });

  it('the CLI prints a hostile server message without its escape sequences or the echoed token', async function () {
    this.timeout(5 * 60_000); // a CLI process: minutes on a loaded machine
    const server = await startHostileServer((_req, res) => {
      const body = JSON.stringify({ code: 500, message: HOSTILE });
      res.writeHead(400, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    try {
      const result = await cli(['download', '--subtask', 'any-1', '--endpoint', server.url, '--token', 'leaked-token-123', '--retries', '0', '--out', __dirname]).done;
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /cleared/);
      assert.ok(!result.stderr.includes(ESC) && !result.stderr.includes('\u009b') && !result.stderr.includes('\r'), JSON.stringify(result.stderr));
      assert.ok(!result.stderr.includes('leaked-token-123'), result.stderr);
      assert.ok(server.requests.length > 0);
    } finally {
      await server.close();
    }
  });
});
