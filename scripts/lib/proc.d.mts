// Types of proc.mjs for the TypeScript tests.
export const repoRoot: string;
export function log(scope: string, message: string): void;
export function freePort(preferred?: number): Promise<number>;
export function sleep(ms: number): Promise<void>;
export function waitForHttp(url: string, options?: { timeoutMs?: number; isAlive?: () => boolean; what?: string }): Promise<number>;
