// What kind of trouble a backend error is (endpoint not set, unreachable, credentials refused, other), and its words:
// the same in every view's error row, in Connect's result and in a command's error notification.
import * as vscode from 'vscode';
import { ApiError } from '../api/errors';
import type { Backend } from './settings';

export type ProblemKind = 'noEndpoint' | 'unreachable' | 'refused' | 'failed';

/** Errors that mean no answer came from the host at all (as opposed to an answer that refused). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'EPIPE', 'TIMEOUT', 'NETWORK', 'ERR_NETWORK', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_SOCKET']);

export function backendName(backend: Backend): string {
  switch (backend) {
    case 'datahub':
      return vscode.l10n.t('Datahub');
    case 'ingest':
      return vscode.l10n.t('Ingest');
    case 'media':
      return vscode.l10n.t('Media');
    case 'pandora':
      return vscode.l10n.t('Pandora');
    case 'multipart':
      return vscode.l10n.t('Multipart upload');
  }
}

/** `host:port` of a base URL, or the text as it is when it is not a URL. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host || baseUrl;
  } catch {
    return baseUrl;
  }
}

export function classifyProblem(err: unknown): ProblemKind {
  if (err instanceof ApiError) {
    if (err.code === 'NO_BASE_URL') return 'noEndpoint';
    if (err.httpStatus === 401 || err.httpStatus === 403) return 'refused';
    if (err.httpStatus === undefined && typeof err.code === 'string' && UNREACHABLE_CODES.has(err.code)) return 'unreachable';
  }
  return 'failed';
}

/** The row's words: what is wrong, named the same way in every view. */
export function problemLabel(backend: Backend, problem: ProblemKind, baseUrl: string, message = ''): string {
  switch (problem) {
    case 'noEndpoint':
      return vscode.l10n.t('{0} endpoint not set', backendName(backend));
    case 'unreachable':
      return vscode.l10n.t('Cannot reach {0}', hostOf(baseUrl));
    case 'refused':
      return message ? vscode.l10n.t('{0} refused the credentials: {1}', backendName(backend), message) : vscode.l10n.t('{0} refused the credentials', backendName(backend));
    case 'failed':
      return vscode.l10n.t('Could not load: {0}', message);
  }
}
