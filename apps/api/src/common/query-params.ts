import { BadRequestException } from '@nestjs/common';

/** The instants a time parameter may name: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z. */
export const TIME_PARAM_MIN_MS = 0;
export const TIME_PARAM_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Parses an ISO 8601 time with an offset (or epoch ms) between 1970 and 9999 — beyond that a Date
 * cannot be formatted (RangeError) nor mean anything here; a clear 400 naming the parameter.
 */
export function parseTimeParam(name: string, raw: string | undefined, fallbackMs: number): Date {
  if (raw === undefined || raw === '') return new Date(fallbackMs);
  const ms = /^\d+$/.test(raw) ? Number(raw) : /([zZ]|[+-]\d{2}:?\d{2})$/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) {
    throw new BadRequestException({
      code: 'input.time_invalid',
      params: { field: name },
      message: `${name} must be an ISO 8601 time with an offset (e.g. 2026-11-26T08:00:00+08:00) or epoch milliseconds`,
      field: name,
    });
  }
  if (!(ms >= TIME_PARAM_MIN_MS && ms <= TIME_PARAM_MAX_MS)) {
    throw new BadRequestException({ code: 'input.time_out_of_range', params: { field: name }, message: `${name} must be a time from 1970-01-01 to 9999-12-31 (UTC)`, field: name });
  }
  return new Date(ms);
}

export function parseTimeRange(
  query: { from?: string; to?: string },
  defaultSpanMs: number,
  maxSpanMs: number,
): { from: Date; to: Date } {
  const to = parseTimeParam('to', query.to, Date.now());
  const from = parseTimeParam('from', query.from, to.getTime() - defaultSpanMs);
  if (from.getTime() > to.getTime()) {
    throw new BadRequestException({ code: 'input.range_reversed', params: {}, message: 'from must not be after to', field: 'from' });
  }
  if (to.getTime() - from.getTime() > maxSpanMs) {
    throw new BadRequestException({
      code: 'input.range_too_long',
      params: { maxDays: Math.round(maxSpanMs / 86_400_000) },
      message: `the range from–to may span at most ${Math.round(maxSpanMs / 86_400_000)} days`,
      field: 'to',
    });
  }
  return { from, to };
}

export function parseTerminalIdParam(name: string, raw: string | undefined, pattern: RegExp): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!pattern.test(raw)) {
    throw new BadRequestException({ code: 'input.terminal_id_invalid', params: { field: name }, message: `${name} must be 1–32 of [A-Za-z0-9_-]`, field: name });
  }
  return raw;
}

export function parseIntParam(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestException({ code: 'input.int_out_of_range', params: { field: name, min, max }, message: `${name} must be an integer from ${min} to ${max}`, field: name });
  }
  return value;
}
