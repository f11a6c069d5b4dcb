// Reads a FormData body (multipart or urlencoded) with busboy, as Django's request.POST / QueryDict would.
import busboy from 'busboy';
import { HttpError, type RequestContext } from '../router';
import { fail } from './envelope';

const MAX_FIELD_BYTES = 64 * 1024;

/**
 * The form fields of the request in a null-prototype object (a field may be named `__proto__` or
 * `constructor`); a JSON or missing body is refused as the backend would not read it.
 */
export async function readForm(c: Pick<RequestContext, 'req'>, required = true): Promise<Record<string, string | undefined>> {
  const type = c.req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data') && !type.startsWith('application/x-www-form-urlencoded')) {
    c.req.resume();
    if (!required) return Object.create(null) as Record<string, string | undefined>;
    throw fail(400, `请求体必须是 FormData（收到 ${type || '无 Content-Type'}）`);
  }
  return new Promise((resolve, reject) => {
    const fields = Object.create(null) as Record<string, string | undefined>;
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: c.req.headers, limits: { fieldSize: MAX_FIELD_BYTES, files: 0 } });
    } catch (err) {
      reject(fail(400, `无法解析 FormData: ${(err as Error).message}`));
      return;
    }
    bb.on('field', (name: string, value: string) => {
      fields[name] = value;
    });
    bb.on('error', (err: unknown) => reject(err instanceof HttpError ? err : fail(400, `无法解析 FormData: ${String(err)}`)));
    bb.on('close', () => resolve(fields));
    c.req.pipe(bb);
  });
}
