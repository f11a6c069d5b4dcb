// UnixFS as Kubo builds it (balanced DAG, 174 links; by default profile unixfs-v0-2015: CIDv0, 256 KiB chunks,
// no raw leaves — or what the add's options and the node's Import config ask for), and reads of it.
import type { CID } from 'multiformats/cid';
import type { DiskBlockstore } from './blockstore';

// ESM-only packages: imported on first use, which also keeps them out of the CommonJS load path of tests.
const libs = async () => {
  const [{ importer }, { fixedSize }, dagPb, { UnixFS }, { CID: CIDClass }] = await Promise.all([
    import('ipfs-unixfs-importer'),
    import('ipfs-unixfs-importer/chunker'),
    import('@ipld/dag-pb'),
    import('ipfs-unixfs'),
    import('multiformats/cid'),
  ]);
  return { importer, fixedSize, dagPb, UnixFS, CIDClass };
};

export interface AddedFile {
  cid: string;
  /** The cumulative DAG size (Kubo's "Size" in the add answer). */
  dagSize: number;
  fileSize: number;
}

/** How a file is imported: Kubo's `cid-version`, `raw-leaves` and `chunker=size-N`. */
export interface ImportSettings {
  cidVersion: 0 | 1;
  rawLeaves: boolean;
  chunkSize: number;
}

/** Kubo's defaults (its Import config left as shipped). */
export const KUBO_IMPORT_DEFAULTS: ImportSettings = { cidVersion: 0, rawLeaves: false, chunkSize: 262_144 };

/** Imports a byte stream the way `ipfs add` does with these settings. */
export async function importStream(content: AsyncIterable<Uint8Array>, blockstore: DiskBlockstore, settings: ImportSettings = KUBO_IMPORT_DEFAULTS): Promise<AddedFile> {
  const { importer, fixedSize } = await libs();
  let fileSize = 0;
  const counted = (async function* () {
    for await (const chunk of content) {
      fileSize += chunk.length;
      yield chunk;
    }
  })();
  let last: { cid: CID; size: bigint } | undefined;
  const options = { profile: 'unixfs-v0-2015', cidVersion: settings.cidVersion, rawLeaves: settings.rawLeaves, chunker: fixedSize({ chunkSize: settings.chunkSize }) } as const;
  for await (const entry of importer([{ content: counted }], blockstore, options)) last = entry;
  if (!last) throw new Error('nothing was imported');
  return { cid: last.cid.toString(), dagSize: Number(last.size), fileSize };
}

export async function parseCid(text: string): Promise<CID> {
  const { CIDClass } = await libs();
  // `/ipfs/<cid>` paths are accepted like Kubo does.
  const bare = text.replace(/^\/ipfs\//, '').split('/')[0];
  return CIDClass.parse(bare);
}

interface FileNode {
  data: Uint8Array;
  links: CID[];
  blockSizes: number[];
  size: number;
}

async function loadNode(cid: CID, blockstore: DiskBlockstore): Promise<FileNode> {
  const { dagPb, UnixFS } = await libs();
  const bytes = await blockstore.get(cid);
  if (cid.code === 0x55) return { data: bytes, links: [], blockSizes: [], size: bytes.length };
  const node = dagPb.decode(bytes);
  if (!node.Data) throw new Error(`${cid.toString()} is not a UnixFS node`);
  const fs = UnixFS.unmarshal(node.Data);
  if (fs.type !== 'file' && fs.type !== 'raw') throw new Error(`this dag node is a ${fs.type}, not a file`);
  return { data: fs.data ?? new Uint8Array(0), links: node.Links.map((l) => l.Hash), blockSizes: fs.blockSizes.map(Number), size: Number(fs.fileSize()) };
}

export async function fileSize(cid: CID, blockstore: DiskBlockstore): Promise<number> {
  return (await loadNode(cid, blockstore)).size;
}

/** The file's bytes from `offset`, at most `length` of them, walking only the subtrees that overlap. */
export async function* readFileRange(cid: CID, blockstore: DiskBlockstore, offset: number, length: number): AsyncGenerator<Uint8Array> {
  if (length <= 0) return;
  const node = await loadNode(cid, blockstore);
  let remaining = length;
  let skip = offset;
  if (node.data.length) {
    if (skip < node.data.length) {
      const piece = node.data.subarray(skip, Math.min(node.data.length, skip + remaining));
      remaining -= piece.length;
      yield piece;
      skip = 0;
    } else skip -= node.data.length;
  }
  for (let i = 0; i < node.links.length && remaining > 0; i++) {
    const childSize = node.blockSizes[i] ?? 0;
    if (skip >= childSize) {
      skip -= childSize;
      continue;
    }
    for await (const piece of readFileRange(node.links[i], blockstore, skip, remaining)) {
      remaining -= piece.length;
      yield piece;
    }
    skip = 0;
  }
}
