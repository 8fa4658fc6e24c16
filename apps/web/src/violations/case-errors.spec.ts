import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../api/http.js';
import { caseFailure } from './case-errors.js';

const answer = (status: number, code: string, params?: Record<string, unknown>) =>
  new ApiRequestError('POST', '/api/v1/violations/x/transitions', status, { statusCode: status, error: 'Conflict', code, params, message: 'm' });

describe('reading a failed case action', () => {
  it('tells a stale version (someone else acted first) from an illegal transition', () => {
    expect(caseFailure(answer(409, 'case.version_conflict'))).toEqual({ kind: 'version_conflict' });
    expect(caseFailure(answer(409, 'case.illegal_transition', { state: 'closed', allowed: ['reopen', 'comment', 'fly'] }))).toEqual({
      kind: 'illegal_transition',
      state: 'closed',
      allowed: ['reopen', 'comment'],
    });
  });

  it('reads the rest as not found, forbidden or other', () => {
    expect(caseFailure(answer(404, 'not_found'))).toEqual({ kind: 'not_found' });
    expect(caseFailure(answer(403, 'forbidden'))).toEqual({ kind: 'forbidden' });
    expect(caseFailure(answer(400, 'validation.required'))).toEqual({ kind: 'other', message: 'm' });
    expect(caseFailure(new Error('offline'))).toEqual({ kind: 'other', message: null });
  });
});
