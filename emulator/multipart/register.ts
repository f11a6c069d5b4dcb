// The emulated resumable multipart backend (api 004): init, part PUT, complete, confirm, list, abort.
import type { BackendFactory } from '../context';
import { registerMultipartAdmin } from './admin';
import { registerConfirmRoute } from './confirm';
import { MultipartStore } from './model';
import { registerMultipartUploadRoutes } from './upload';

export const registerMultipart: BackendFactory = (router, ctx) => {
  const store = new MultipartStore(ctx.dataDir);
  registerMultipartUploadRoutes(router, ctx, store);
  registerConfirmRoute(router, ctx, store);
  registerMultipartAdmin(router, store);
  return {
    state: () => store.state(),
    reset: () => store.reset(),
    close: () => store.close(),
  };
};
