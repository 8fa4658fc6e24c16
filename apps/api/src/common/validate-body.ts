import { BadRequestException } from '@nestjs/common';
import { Ajv2020, type ErrorObject, type JSONSchemaType } from 'ajv/dist/2020.js';

const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return path ? `${path}.${missing}` : missing;
  }
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return path ? `${path}.${extra}` : extra;
  }
  return path || 'body';
}

function messageOf(error: ErrorObject, field: string): string {
  if (error.keyword === 'required') return `${field} is required`;
  if (error.keyword === 'additionalProperties') return `${field} is not a known field`;
  return `${field} ${error.message ?? 'is invalid'}`;
}

/**
 * The params of an `input.invalid` error: the field, the JSON Schema keyword that failed (`rule`)
 * and that keyword's bound (`limit`, `allowed`, `type`, `format`), for the console's sentence.
 */
function paramsOf(error: ErrorObject, field: string): Record<string, unknown> {
  const params: Record<string, unknown> = { field, rule: error.keyword };
  const p = error.params as Record<string, unknown>;
  if (typeof p['limit'] === 'number') params['limit'] = p['limit'];
  if (Array.isArray(p['allowedValues'])) params['allowed'] = p['allowedValues'];
  if (p['allowedValue'] !== undefined) params['allowed'] = p['allowedValue'];
  if (p['type'] !== undefined) params['type'] = p['type'];
  if (typeof p['format'] === 'string') params['format'] = p['format'];
  return params;
}

/**
 * A JSON Schema check at the HTTP edge: returns the typed body, or throws a 400 whose `field`
 * names the first offending field (`townCode`, `windows.0.start`).
 */
export function bodyValidator<T>(schema: JSONSchemaType<T>): (body: unknown) => T {
  const validate = ajv.compile<T>(schema);
  return (body: unknown): T => {
    if (validate(body)) return body;
    const error = validate.errors?.[0];
    if (!error) throw new BadRequestException({ code: 'input.invalid', params: { field: 'body', rule: 'schema' }, message: 'invalid body', field: 'body' });
    const field = fieldOf(error);
    throw new BadRequestException({ code: 'input.invalid', params: paramsOf(error, field), message: messageOf(error, field), field });
  };
}
