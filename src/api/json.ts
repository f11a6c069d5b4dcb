// The one check for "a JSON object" (not null, not an array) that parsers of backend answers, journals and messages share.

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
