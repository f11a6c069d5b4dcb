// The manifest keeps a repository from redirecting credentials: every setting that decides where a secret goes is
// application-scoped (User settings only) and restricted in untrusted workspaces; the workspace capabilities are declared.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface SettingSchema {
  scope?: string;
}
interface Manifest {
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; restrictedConfigurations?: string[]; description?: string };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
}

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const settings = pkg.contributes.configuration.properties;
/** Names that route a request (and the credential it carries): an endpoint, a URL, a host, an auth header or scheme, a proxy. */
const ROUTES_A_CREDENTIAL = /(endpoint|url|host|auth|header|scheme|proxy)/i;
const routing = Object.keys(settings).filter((name) => ROUTES_A_CREDENTIAL.test(name.replace(/^datahub\./, ''))).sort();

describe('workspace trust and settings scopes', () => {
  it('finds the credential-routing settings (endpoints, IPFS API, Datahub auth header and scheme)', () => {
    for (const name of ['datahub.endpoints.datahub', 'datahub.endpoints.ingest', 'datahub.endpoints.media', 'datahub.endpoints.pandora', 'datahub.endpoints.multipart', 'datahub.ipfs.apiUrl', 'datahub.datahub.authHeader', 'datahub.datahub.authScheme']) {
      assert.ok(routing.includes(name), name);
    }
  });

  it('scopes each of them to the application (User settings only), so that no workspace, folder or remote settings file can set it', () => {
    // Not "machine": a machine-scoped User value is ignored in remote windows (code-server, Remote-SSH), so the endpoints would vanish there.
    assert.deepEqual(routing.filter((name) => settings[name].scope !== 'application'), []);
  });

  it('declares untrusted workspaces as limited, with exactly those settings restricted', () => {
    const untrusted = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.ok(untrusted?.description);
    assert.deepEqual([...(untrusted?.restrictedConfigurations ?? [])].sort(), routing);
  });

  it('declares what works in a virtual workspace', () => {
    const virtual = pkg.capabilities?.virtualWorkspaces;
    assert.ok(typeof virtual === 'object' && virtual.supported === 'limited' && virtual.description);
  });
});
