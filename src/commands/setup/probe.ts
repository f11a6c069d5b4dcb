// Connect's last step: one cheap call per backend that proves its endpoint answers and (where the API can tell) that
// the stored credentials are accepted.
import * as vscode from 'vscode';
import { DatahubClient } from '../../api/datahub/client';
import { ApiError } from '../../api/errors';
import { IngestClient } from '../../api/ingest/client';
import type { Logger } from '../../api/logger';
import { MediaClient } from '../../api/media/client';
import { MultipartClient } from '../../api/multipart/client';
import { PandoraClient } from '../../api/pandora/client';
import { pandoraAuth } from '../../areas/pandora';
import type { CredentialStore } from '../../platform/secrets';
import type { Backend, Settings } from '../../platform/settings';

export interface ProbeDeps {
  settings: Settings;
  credentials: CredentialStore;
  logger: Logger;
}

/** What the call proved, in words for the notification. */
export type ProbeResult = { ok: true; detail: string } | { ok: false; error: unknown };

/** An id no backend has: a "not found" answer still proves the host and the credentials. */
const PROBE_ID = 'datahub-vscode-connect-check';

export async function probeBackend(deps: ProbeDeps, backend: Backend): Promise<ProbeResult> {
  const { settings, credentials, logger } = deps;
  const common = { baseUrl: () => settings.baseUrl(backend), logger, limits: () => settings.httpLimits() };
  try {
    switch (backend) {
      case 'ingest': {
        const client = new IngestClient({
          ...common,
          credentials: async () => ({ userId: await credentials.get('ingest', 'userId'), accessToken: await credentials.get('ingest', 'accessToken'), uid: await credentials.get('ingest', 'uid') }),
          multiValueQuery: () => settings.ingestMultiValueQuery(),
        });
        const { total } = await client.listConnectors();
        return { ok: true, detail: vscode.l10n.t('{0} connector(s) listed', total) };
      }
      case 'pandora': {
        const client = new PandoraClient({ ...common, auth: () => pandoraAuth(credentials), signedPath: () => settings.pandoraSignedPath(), language: vscode.env.language });
        const datasources = await client.listDatasources();
        return { ok: true, detail: vscode.l10n.t('{0} datasource(s) listed', datasources.length) };
      }
      case 'media': {
        const client = new MediaClient({ ...common, token: () => credentials.get('media', 'token') });
        const { tasks } = await client.listPrivateTasks();
        return { ok: true, detail: vscode.l10n.t('{0} private block task(s) listed', tasks.length) };
      }
      case 'datahub': {
        const client = new DatahubClient({ ...common, token: () => credentials.get('datahub', 'token'), authHeader: () => settings.datahubAuthHeader() });
        return await answered(() => client.presignDownload(PROBE_ID)).finally(() => client.close());
      }
      case 'multipart': {
        const client = new MultipartClient({ ...common, token: () => credentials.get('multipart', 'token') });
        return await answered(() => client.list({ task_id: PROBE_ID, upload_id: PROBE_ID, object_key: PROBE_ID })).finally(() => client.close());
      }
    }
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * 000 and 004 have no call that only reads: ask for something that does not exist. Any answer but a refusal of the
 * credentials proves the host; the token itself is proved by the first transfer.
 */
async function answered(call: () => Promise<unknown>): Promise<ProbeResult> {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof ApiError) || error.httpStatus === undefined || error.httpStatus === 401 || error.httpStatus === 403) return { ok: false, error };
  }
  return { ok: true, detail: vscode.l10n.t('the server answered (this API has no call that checks credentials alone: the first transfer does)') };
}
