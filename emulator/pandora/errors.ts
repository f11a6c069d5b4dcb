// The document's error table (错误代码及相关说明): each E18xxx code with its HTTP status, and the error body.
import { HttpError } from '../router';

/** Code → HTTP status, as the table at the end of 003 lists them. */
const STATUS_OF_CODE = new Map<string, number>([
  ['E18003', 411], ['E18004', 400], ['E18005', 413], ['E18006', 400], ['E18007', 400], ['E18008', 400],
  ['E18101', 409], ['E18102', 404], ['E18103', 400], ['E18104', 400], ['E18105', 400], ['E18106', 400],
  ['E18107', 400], ['E18108', 400], ['E18109', 400], ['E18110', 400], ['E18111', 404], ['E18112', 400],
  ['E18113', 409], ['E18117', 400], ['E18120', 404], ['E18122', 404], ['E18124', 202], ['E18125', 400],
  ['E18201', 409], ['E18202', 404], ['E18203', 415], ['E18204', 409], ['E18205', 409], ['E18206', 400],
  ['E18207', 400], ['E18208', 400], ['E18209', 400], ['E18211', 400], ['E18212', 400], ['E18213', 400],
  ['E18214', 400], ['E18215', 409], ['E18216', 404], ['E18217', 409], ['E18218', 409], ['E18219', 400],
  ['E18220', 400], ['E18221', 400], ['E18222', 400], ['E18223', 400],
  ['E18301', 409], ['E18302', 404], ['E18303', 400], ['E18304', 400], ['E18305', 400],
]);

/** The last row of the table: 401 "bad token" (鉴权不通过、token已过期、机器时间未同步). */
export const BAD_TOKEN_TEXT = 'bad token';

/** The status the table gives `code`; undefined for a code it does not list. */
export function statusOfCode(code: string): number | undefined {
  return STATUS_OF_CODE.get(code);
}

/** Every code of the table (the tests compare it with the client's transcription). */
export function tableCodes(): string[] {
  return [...STATUS_OF_CODE.keys()];
}

/** `{"error": "E18xxx: detail"}` with the table's status for the code. */
export function pandoraError(code: string, detail: string): HttpError {
  const status = STATUS_OF_CODE.get(code);
  if (status === undefined) throw new Error(`emulator bug: ${code} is not in the document's table`);
  return new HttpError(status, { error: `${code}: ${detail}` });
}

/** A refusal the table has no code for (stop/rerun from a state that forbids it, an unknown run): plain text. */
export function plainError(status: number, detail: string): HttpError {
  return new HttpError(status, { error: detail });
}

export function badToken(): HttpError {
  return new HttpError(401, { error: BAD_TOKEN_TEXT });
}
