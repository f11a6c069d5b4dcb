// Input rules of the ingest API (api 001), checked before anything is sent; pure, so the connector form page uses them too.
import { IntervalType, SourceType, type ConnectorInput } from './types';

/** Why a field is refused; the UI turns the code into a translated sentence. */
export type FieldProblem = 'required' | 'tooLong' | 'badEndpoint' | 'badBucket' | 'badSourceType' | 'badId' | 'whitespace';

export interface FieldError {
  field: keyof ConnectorInput;
  problem: FieldProblem;
}

/** English sentences for the problems (what ValidationError carries; the UI translates the codes itself). */
export const PROBLEM_TEXT: Record<FieldProblem, string> = {
  required: 'is required',
  tooLong: 'is too long',
  badEndpoint: 'must be a host name or an http(s) URL, e.g. oss-cn-hangzhou.aliyuncs.com',
  badBucket: 'must be 3–63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit',
  badSourceType: 'must be 4 (OSS) or 5 (S3)',
  badId: 'must be a number',
  whitespace: 'must not contain spaces',
};

const ENDPOINT = /^(https?:\/\/)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?(\/[^\s]*)?$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Every problem of a connector input, in form order. `requireSecret` is false when editing (an
 * empty secret keeps the stored one).
 */
export function connectorInputErrors(input: ConnectorInput, requireSecret: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const text = (field: keyof ConnectorInput, value: string | undefined, max: number, extra?: (v: string) => FieldProblem | undefined): void => {
    const v = (value ?? '').trim();
    if (!v) errors.push({ field, problem: 'required' });
    else if (v.length > max) errors.push({ field, problem: 'tooLong' });
    else {
      const problem = extra?.(v);
      if (problem) errors.push({ field, problem });
    }
  };
  text('name', input.name, 128);
  if (input.sourceType !== SourceType.OSS && input.sourceType !== SourceType.S3) errors.push({ field: 'sourceType', problem: 'badSourceType' });
  text('endpoint', input.endpoint, 512, (v) => (ENDPOINT.test(v) ? undefined : 'badEndpoint'));
  text('accessKeyId', input.accessKeyId, 256, (v) => (/\s/.test(v) ? 'whitespace' : undefined));
  if (requireSecret || (input.accessKeySecret ?? '') !== '') {
    text('accessKeySecret', input.accessKeySecret, 256, (v) => (/\s/.test(v) ? 'whitespace' : undefined));
  }
  text('bucketName', input.bucketName, 63, (v) => (BUCKET.test(v) ? undefined : 'badBucket'));
  if (input.sourceType === SourceType.S3) text('region', input.region, 64, (v) => (/\s/.test(v) ? 'whitespace' : undefined));
  return errors;
}

export const INTERVAL_TYPES: readonly number[] = [IntervalType.Daily, IntervalType.Hourly, IntervalType.Minutely, IntervalType.Once];

/** A 19-digit (at most) decimal id, kept as a string because it does not fit a JS number. */
export function isDecimalId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9]{1,20}$/.test(value);
}
