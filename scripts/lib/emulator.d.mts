// Types of emulator.mjs for the TypeScript tests.
export interface EmulatorProcess {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}
export function startEmulator(options?: { port?: number; dataDir?: string; seed?: boolean; quiet?: boolean; timeoutMs?: number; allowInputDirs?: string[]; store?: 's3-sigv2' | 'oss' | 's3-sigv4' | 'lenient' }): Promise<EmulatorProcess>;
export function emulatorAdmin(url: string, method: string, path: string, body?: unknown): Promise<unknown>;
