// How an ingest route is added: authenticated, its access token noted, counted in its group; the handler gets the user.
import type { RequestContext } from '../router';

export type IngestRoute = (method: string, path: string, group: string, handler: (c: RequestContext, user: string) => Promise<void> | void) => void;
