import { HttpException } from '@nestjs/common';

/**
 * An error with a stable code and parameters the console translates (ApiError, see
 * common/api-exception.filter.ts); `message` is for logs and curl, `field` names a form field.
 */
export class CodedError extends HttpException {
  constructor(status: number, code: string, message: string, params: Record<string, unknown> = {}, field?: string) {
    super({ code, params, message, ...(field === undefined ? {} : { field }) }, status);
  }
}

export function badQuery(field: string, message: string, params: Record<string, unknown> = {}): CodedError {
  return new CodedError(400, 'query.invalid', `${field} ${message}`, { field, ...params }, field);
}

export function caseNotFound(id: string): CodedError {
  return new CodedError(404, 'case.not_found', `violation ${id} not found`, { id });
}
