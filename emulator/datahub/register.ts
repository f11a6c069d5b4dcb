// The emulated Datahub plugin API (api 000): upload via presigned parts, ranged download, status, heartbeat, result.
import type { BackendFactory } from '../context';
import { registerAdminRoutes, seedDatahub } from './admin';
import { registerDownloadRoutes } from './download';
import { DatahubStore } from './model';
import { registerStatusRoutes } from './status';
import { registerUploadRoutes } from './upload';

export const registerDatahub: BackendFactory = (router, ctx) => {
  const store = new DatahubStore(ctx.dataDir);
  registerUploadRoutes(router, ctx, store);
  registerDownloadRoutes(router, ctx, store);
  registerStatusRoutes(router, ctx, store);
  registerAdminRoutes(router, ctx, store);
  return {
    state: () => store.state(),
    reset: () => store.reset(),
    seed: () => seedDatahub(store),
    close: () => store.close(),
  };
};
