// Raw signed requests to the emulated Pandora for the emulator's own tests, signed here with node:crypto
// (a third reading of the algorithm, independent of src/api/pandora/sign.ts and emulator/pandora/signature.ts).
import { createHmac } from 'node:crypto';

export interface RawAnswer {
  status: number;
  body: { error?: string } & Record<string, unknown>;
}

export interface RawOptions {
  body?: unknown;
  /** The path to sign; by default the sent path with its %-escapes decoded, as the service reads it. */
  signPath?: string;
  secretKey?: string;
}

export function rawPandora(baseUrl: string) {
  return async (method: string, path: string, options: RawOptions = {}): Promise<RawAnswer> => {
    const date = new Date().toUTCString();
    const contentType = options.body === undefined ? '' : 'application/json';
    const signed = options.signPath ?? decodeURIComponent(path.split('?')[0]);
    const text = `${method}\n\n${contentType}\n${date}\n${signed}`;
    const sign = createHmac('sha1', options.secretKey ?? 'demo-sk').update(text, 'utf8').digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Date: date, Authorization: `Pandora demo-ak:${sign}`, ...(contentType ? { 'Content-Type': contentType } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const raw = await response.text();
    return { status: response.status, body: raw ? (JSON.parse(raw) as RawAnswer['body']) : {} };
  };
}
