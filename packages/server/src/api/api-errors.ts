import type { ServerResponse } from 'node:http';
import { sendApiJson } from './api-json.js';

/** The statuses the HTTP API answers with (spec §6.4). Every error body is `{ error, code }` with `code` = status. */
export const ApiStatus = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  PayloadTooLarge: 413,
  Internal: 500,
} as const;
export type ApiStatus = (typeof ApiStatus)[keyof typeof ApiStatus];

export interface ApiFailure {
  status: ApiStatus;
  /** Safe to show to the caller: never echoes large input back. */
  error: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

export const apiOk = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const apiFail = (status: ApiStatus, error: string): { ok: false; failure: ApiFailure } => ({
  ok: false,
  failure: { status, error },
});

/** The JSON body of an error response. */
export const apiErrorBody = (failure: ApiFailure): { error: string; code: number } => ({
  error: failure.error,
  code: failure.status,
});

/** Answers `failure` as JSON, through express when the request came through it (see `sendApiJson`). */
export function sendApiError(res: ServerResponse, failure: ApiFailure): void {
  sendApiJson(res, failure.status, apiErrorBody(failure));
}
