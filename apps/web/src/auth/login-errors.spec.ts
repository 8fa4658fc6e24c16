import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../api/http.js';
import { loginFailure, waitMessage } from './login-errors.js';

const failed = (status: number, retryAfter: number | null = null): ApiRequestError =>
  new ApiRequestError('POST', '/api/v1/auth/login', status, { statusCode: status, error: 'x', code: 'x', message: 'x' }, retryAfter);

describe('loginFailure', () => {
  it('says the username or password is wrong on 401, without telling which', () => {
    expect(loginFailure(failed(401))).toEqual({ message: { key: 'auth.wrongCredentials' }, wait: null });
  });

  it('tells a locked-out user how long to wait, in minutes when it is a minute or more', () => {
    expect(loginFailure(failed(429, 900))).toEqual({
      message: { key: 'auth.lockedOut' },
      wait: { key: 'auth.wait.minutes', params: { n: 15 } },
    });
    expect(loginFailure(failed(429, 61)).wait).toEqual({ key: 'auth.wait.minutes', params: { n: 2 } });
    expect(loginFailure(failed(429, 42)).wait).toEqual({ key: 'auth.wait.seconds', params: { n: 42 } });
  });

  it('still explains a lock-out without a Retry-After header', () => {
    expect(loginFailure(failed(429))).toEqual({ message: { key: 'auth.lockedOutNoWait' }, wait: null });
  });

  it('tells a disabled user to ask an administrator', () => {
    expect(loginFailure(failed(403)).message.key).toBe('auth.disabled');
  });

  it('blames the network when the API cannot be reached or fails', () => {
    expect(loginFailure(new TypeError('Failed to fetch')).message.key).toBe('auth.unreachable');
    expect(loginFailure(failed(502)).message.key).toBe('auth.unreachable');
  });
});

describe('waitMessage', () => {
  it('never says zero seconds', () => {
    expect(waitMessage(0)).toEqual({ key: 'auth.wait.seconds', params: { n: 1 } });
  });
});
