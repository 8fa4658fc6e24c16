import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { parseLocalDate } from '@muckwatch/domain';

/** A stable error code and its params (libs/contracts/src/i18n/api-errors.ts). */
export interface ErrorCode {
  code: string;
  params?: Record<string, unknown>;
}

/** A 400 naming the offending field; `code` defaults to `registry.invalid_field` (params always carry `field`). */
export function badInput(field: string, message: string, error: ErrorCode = { code: 'registry.invalid_field' }): never {
  throw new BadRequestException({ code: error.code, params: { field, ...error.params }, message, field });
}

/** A 409: the change clashes with the registry as it is (naming the field when one is to blame). */
export function conflict(field: string | null, message: string, error: ErrorCode = { code: 'registry.conflict' }): never {
  throw new ConflictException({ code: error.code, params: { field: field ?? '', ...error.params }, message, ...(field ? { field } : {}) });
}

/** The registry's record kinds, as `registry.not_found.<kind>` names them. */
export type RecordKind = 'company' | 'truck' | 'terminal' | 'approval' | 'time_window' | 'construction_site' | 'disposal_site' | 'route' | 'speed_zone' | 'terminal_model';

export function notFound(kind: RecordKind, id: string): never {
  throw new NotFoundException({ code: 'registry.not_found', params: { kind, id }, message: `${kind.replace(/_/g, ' ')} ${id} not found` });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A path id that is not a UUID names no record: 404, as an unknown one would. */
export function requireUuidParam(kind: RecordKind, id: string): string {
  if (!isUuid(id)) notFound(kind, id);
  return id.toLowerCase();
}

/** Reads a JSON body field by field; every problem is a 400 naming `prefix + field`. */
export class Input {
  private constructor(
    private readonly body: Record<string, unknown>,
    readonly prefix: string,
  ) {}

  static of(body: unknown, prefix = ''): Input {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) badInput(prefix.replace(/\.$/, '') || 'body', 'the body must be a JSON object', { code: 'input.body_not_object' });
    return new Input(body as Record<string, unknown>, prefix);
  }

  has(field: string): boolean {
    return this.body[field] !== undefined;
  }

  raw(field: string): unknown {
    return this.body[field];
  }

  path(field: string): string {
    return `${this.prefix}${field}`;
  }

  fail(field: string, message: string, error?: ErrorCode): never {
    badInput(this.path(field), message.startsWith(field) ? `${this.path(field)}${message.slice(field.length)}` : message, error);
  }

  text(field: string, options: { max?: number } = {}): string {
    const value = this.optionalText(field, options);
    if (value === null) this.fail(field, `${field} is required`, { code: 'input.required' });
    return value;
  }

  optionalText(field: string, { max = 200 }: { max?: number } = {}): string | null {
    const value = this.body[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') this.fail(field, `${field} must be a string`, { code: 'input.not_string' });
    const trimmed = value.trim();
    if (trimmed.length > max) this.fail(field, `${field} must be at most ${max} characters`, { code: 'input.text_too_long', params: { max } });
    return trimmed === '' ? null : trimmed;
  }

  oneOf<T extends string>(field: string, values: readonly T[], fallback?: T): T {
    const value = this.body[field];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !values.includes(value as T)) this.fail(field, `${field} must be one of ${values.join(', ')}`, { code: 'input.not_allowed', params: { allowed: values } });
    return value as T;
  }

  bool(field: string, fallback: boolean): boolean {
    const value = this.body[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(field, `${field} must be true or false`, { code: 'input.not_boolean' });
    return value;
  }

  optionalNumber(field: string, { min, max, exclusiveMin = false }: { min: number; max: number; exclusiveMin?: boolean }): number | null {
    const value = this.body[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value > max || (exclusiveMin ? value <= min : value < min)) {
      this.fail(field, `${field} must be a number ${exclusiveMin ? 'above' : 'from'} ${min}${exclusiveMin ? ' and at most' : ' to'} ${max}`, {
        code: 'input.number_range',
        params: { min, max },
      });
    }
    return value;
  }

  number(field: string, range: { min: number; max: number; exclusiveMin?: boolean }): number {
    const value = this.optionalNumber(field, range);
    if (value === null) this.fail(field, `${field} is required`, { code: 'input.required' });
    return value;
  }

  optionalDate(field: string): string | null {
    const value = this.body[field];
    if (value === undefined || value === null || value === '') return null;
    if (parseLocalDate(value) === null) this.fail(field, `${field} must be a date YYYY-MM-DD`, { code: 'input.date_invalid' });
    return value as string;
  }

  date(field: string): string {
    const value = this.optionalDate(field);
    if (value === null) this.fail(field, `${field} is required (YYYY-MM-DD)`, { code: 'input.required' });
    return value;
  }

  optionalUuid(field: string): string | null {
    const value = this.body[field];
    if (value === undefined || value === null) return null;
    if (!isUuid(value)) this.fail(field, `${field} must be a UUID`, { code: 'input.uuid_invalid' });
    return value.toLowerCase();
  }

  uuid(field: string): string {
    const value = this.optionalUuid(field);
    if (value === null) this.fail(field, `${field} is required`, { code: 'input.required' });
    return value;
  }

  uuids(field: string): string[] {
    const value = this.body[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(field, `${field} must be an array of UUIDs`, { code: 'input.uuid_list_invalid' });
    const ids = (value as unknown[]).map((v, i) => {
      if (!isUuid(v)) badInput(this.path(`${field}.${i}`), `${this.path(`${field}.${i}`)} must be a UUID`, { code: 'input.uuid_invalid' });
      return v.toLowerCase();
    });
    return [...new Set(ids)];
  }
}

/** A PATCH body laid over the current record: fields it names replace the record's. */
export function patched(current: object, body: unknown): Record<string, unknown> {
  Input.of(body);
  return { ...current, ...(body as Record<string, unknown>) };
}
