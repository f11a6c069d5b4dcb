// Types of thirdPartyServers.mjs for the TypeScript tests.
export const S3RVER_KEY: { accessKeyId: string; secretAccessKey: string };
export function requireFromKit(kit: 's3' | 'ipfs', id: string): Promise<unknown>;
export function startS3rver(options?: { buckets?: string[] }): Promise<{ url: string; directory: string; stop(): Promise<void> }>;
export function startJsIpfs(options?: { timeoutMs?: number }): Promise<{ url: string; pid: number; output(): string; stop(): Promise<void> }>;
export function thirdPartyDir(kit: 's3' | 'ipfs'): string;
