// Receiving one part PUT into the store: streamed to disk, MD5 on the way, bytes counted, cut-off bodies dropped.
import type { EmulatorContext } from '../context';
import type { RequestContext } from '../router';
import { receiveToFile, type StoredFile } from './files';

/**
 * Streams the request body to `path` and answers nothing; undefined when the client went away before the
 * whole body arrived (a cancelled or timed-out PUT): nothing is stored and there is nobody to answer.
 * Every byte received counts into `put_bytes`, also those of a cut-off body (they were sent).
 */
export async function receivePart(ctx: EmulatorContext, c: RequestContext, path: string): Promise<StoredFile | undefined> {
  try {
    return await receiveToFile(c.req, path, (n) => ctx.count('put_bytes', n), () => (c.req.complete ? undefined : 'the request body was cut off'));
  } catch (err) {
    if (c.req.complete) throw err;
    ctx.count('part_puts_cut_off');
    c.res.destroy();
    return undefined;
  }
}
