// The emulated node's peer id: an Ed25519 key's identity-multihash id ("12D3KooW…"), kept on disk so it is stable.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export async function loadPeerId(path: string): Promise<string> {
  if (existsSync(path)) {
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { id?: unknown };
      if (typeof saved.id === 'string' && saved.id) return saved.id;
    } catch {
      // A damaged identity file is replaced below.
    }
  }
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  // libp2p PublicKey protobuf {Type: Ed25519 (1), Data: 32 bytes}, wrapped in an identity multihash.
  const proto = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, 0x20]), raw]);
  const multihash = Buffer.concat([Buffer.from([0x00, proto.length]), proto]);
  const { base58btc } = await import('multiformats/bases/base58');
  const id = base58btc.baseEncode(multihash);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ id }));
  return id;
}
