// The lint rule that keeps the emulator and the extension apart: nothing under emulator/ imports src/, and
// nothing under src/ imports emulator/, whichever way the path is written.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..', '..');

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('emulator ⇄ src import boundary (ESLint)', function () {
  this.timeout(60_000);

  const refused: [string, string][] = [
    ['emulator/pandora/auth.ts', "import { pandoraAuthorization } from '../../src/api/pandora/sign';"],
    ['emulator/pandora/auth.ts', "import type { JobBody } from '../../src/api/pandora/types';"],
    ['emulator/server.ts', "export { PandoraClient } from '../src/api/pandora/client';"],
    ['emulator/pandora/auth.ts', "import { x } from './../../src/api/http';"],
    ['emulator/main.ts', "import { x } from 'src/api/http';"],
    ['src/cli/main.ts', "import { startEmulator } from '../../emulator/server';"],
    ['src/api/pandora/client.ts', "import { pandoraError } from '../../../emulator/pandora/errors';"],
    ['src/extension.ts', "import { x } from '../emulator';"],
  ];
  for (const [file, code] of refused) {
    it(`refuses in ${file}: ${code}`, async () => {
      const messages = await restrictedImports(file, code);
      assert.equal(messages.length, 1, `expected the boundary rule to fire, got ${JSON.stringify(messages)}`);
    });
  }

  const allowed: [string, string][] = [
    ['emulator/pandora/auth.ts', "import { HttpError } from '../router';"],
    ['emulator/pandora/auth.ts', "import { decodedPath } from './signature';"],
    ['src/api/pandora/client.ts', "import { ApiError } from '../errors';"],
    ['src/commands/pandora.ts', "import type { PandoraClient } from '../api/pandora/client';"],
  ];
  for (const [file, code] of allowed) {
    it(`allows in ${file}: ${code}`, async () => {
      assert.deepEqual(await restrictedImports(file, code), []);
    });
  }

  it('src/api still refuses vscode', async () => {
    assert.equal((await restrictedImports('src/api/pandora/client.ts', "import * as vscode from 'vscode';")).length, 1);
  });
});
