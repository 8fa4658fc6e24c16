import { describe, expect, it } from 'vitest';
import type { ApiError } from '@muckwatch/contracts';
import { apiErrorMessage, serverErrorText } from './api-error-message.js';
import { ApiRequestError } from './http.js';

function failed(status: number, body: ApiError | null): ApiRequestError {
  return new ApiRequestError('POST', '/api/v1/users', status, body);
}

const tooShort: ApiError = {
  statusCode: 400,
  error: 'BAD_REQUEST',
  code: 'password.too_short',
  params: { min: 12 },
  message: 'the password must be at least 12 characters',
  field: 'password',
};

describe('apiErrorMessage', () => {
  it('names forbidden and not found, else the fallback key', () => {
    expect(apiErrorMessage(failed(403, null), 'common.loadFailed')).toBe('common.forbidden');
    expect(apiErrorMessage(failed(404, null), 'common.loadFailed')).toBe('common.notFound');
    expect(apiErrorMessage(failed(500, null), 'common.loadFailed')).toBe('common.loadFailed');
    expect(apiErrorMessage(new Error('offline'), 'common.saveFailed')).toBe('common.saveFailed');
  });
});

describe('serverErrorText', () => {
  it('renders the code and params in the console language, not the English sentence', () => {
    expect(serverErrorText(failed(400, tooShort), 'zh-CN')).toBe('密码至少 12 个字符');
    expect(serverErrorText(failed(400, tooShort), 'en')).toBe('The password must be at least 12 characters');
  });

  it('renders a schema failure by its rule', () => {
    const body: ApiError = { statusCode: 400, error: 'BAD_REQUEST', code: 'input.invalid', params: { field: 'displayName', rule: 'maxLength', limit: 100 }, message: 'displayName must NOT have more than 100 characters', field: 'displayName' };
    expect(serverErrorText(failed(400, body), 'zh-CN')).toBe('displayName 最多 100 个字符');
  });

  it('falls back to the English message for a code it does not know', () => {
    const body: ApiError = { statusCode: 409, error: 'CONFLICT', code: 'something.newer', message: 'a newer server says no' };
    expect(serverErrorText(failed(409, body), 'zh-CN')).toBe('a newer server says no');
  });

  it('has nothing to say without an error body', () => {
    expect(serverErrorText(failed(502, null), 'zh-CN')).toBeNull();
    expect(serverErrorText(new Error('offline'), 'zh-CN')).toBeNull();
  });
});
