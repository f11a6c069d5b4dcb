// The one error type every backend client throws: which service, HTTP status, backend code, message.
export type ServiceName = 'datahub' | 'ingest' | 'media' | 'pandora' | 'multipart' | 'ipfs';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly service: ServiceName,
    readonly httpStatus: number | undefined,
    readonly code: string | number | undefined,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }

  /** A one-line description a user can act on: service, code and message. */
  describe(): string {
    const parts: string[] = [this.service];
    if (this.httpStatus !== undefined) parts.push(`HTTP ${this.httpStatus}`);
    if (this.code !== undefined && this.code !== '' && this.code !== this.httpStatus) parts.push(String(this.code));
    return `${parts.join(' ')}: ${this.message}`;
  }
}

/** Raised when input is refused before anything is sent; `field` names what is wrong. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

/** What a person reads for any thrown value: an ApiError's service, status and code with its message, else the message. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.describe();
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isAbortError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'AbortError' || err.name === 'CanceledError' || (err as { code?: string }).code === 'ERR_CANCELED';
}
