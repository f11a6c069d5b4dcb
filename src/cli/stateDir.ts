// Where the CLI keeps its transfer journal by default: the user's cache dir.
import { join } from 'node:path';
import { productCacheDir } from '../transfer/hashCachePeers';

export function defaultStateDir(): string {
  return join(productCacheDir(), 'transfers');
}
