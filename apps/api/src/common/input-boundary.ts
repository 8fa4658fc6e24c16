import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type ApiError, HTTP_JSON_LIMITS, inspectJsonValue, type JsonInspection, type JsonLimits } from '@muckwatch/contracts';

/**
 * The one input boundary of the HTTP API: every path segment, query parameter and parsed body
 * (JSON or form) passes `inspectJsonValue` (libs/contracts) before routing, so no controller ever
 * sees text PostgreSQL cannot store (U+0000, lone surrogates), a body nested deeper than the limit,
 * or a path that is not valid percent-encoding. Refusals are 400 ApiErrors naming the field.
 */

function refuse(res: Response, status: number, message: string, field?: string): void {
  const body: ApiError = {
    statusCode: status,
    error: HttpStatus[status]?.toString() ?? 'Error',
    code: status === 413 ? 'input.too_large' : 'input.unacceptable',
    ...(field ? { params: { field }, field } : {}),
    message,
  };
  res.status(status).json(body);
}

function describe(prefix: string, found: JsonInspection): { field: string; message: string } {
  const field = [prefix, found.path].filter(Boolean).join('.') || 'body';
  return { field, message: `${field} ${found.reason}` };
}

function checkPath(path: string, limits: Readonly<JsonLimits>): { field: string; message: string } | null {
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { field: 'path', message: 'path is not valid percent-encoded UTF-8' };
    }
    const found = inspectJsonValue(segment, limits);
    if (found) return { field: 'path', message: `path ${found.reason}` };
  }
  return null;
}

function checkQuery(query: unknown, limits: Readonly<JsonLimits>): { field: string; message: string } | null {
  if (typeof query !== 'object' || query === null) return null;
  for (const [name, value] of Object.entries(query)) {
    // No endpoint takes a list in its query: a repeated parameter is a mistake or a probe.
    if (Array.isArray(value)) {
      const field = inspectJsonValue(name, limits) === null ? name : 'query';
      return { field, message: `${field} is given more than once` };
    }
  }
  const found = inspectJsonValue(query, limits);
  return found ? describe(found.path ? '' : 'query', found) : null;
}

export function inputBoundary(limits: Readonly<JsonLimits> = HTTP_JSON_LIMITS): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const problem =
      checkPath(req.path, limits) ??
      checkQuery(req.query, limits) ??
      (req.body === undefined ? null : ((found) => (found ? describe('', found) : null))(inspectJsonValue(req.body, limits)));
    if (problem) {
      refuse(res, 400, problem.message, problem.field);
      return;
    }
    next();
  };
}

const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'body is not valid JSON',
  'entity.too.large': 'body is larger than the limit (BODY_LIMIT_KB)',
  'encoding.unsupported': 'body has an unsupported content encoding',
  'charset.unsupported': 'body has an unsupported charset',
  'request.aborted': 'body was not received whole',
  'request.size.invalid': 'body is shorter or longer than its Content-Length',
  'parameters.too.many': 'body has too many form parameters',
};

/**
 * Errors of the body parsers (malformed JSON, too large, bad charset) as ApiError bodies with their
 * 4xx status, instead of Express's HTML error page.
 */
export function bodyParseErrors(): (error: unknown, req: Request, res: Response, next: NextFunction) => void {
  return (error, _req, res, next) => {
    const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
    if (typeof status === 'number' && status >= 400 && status < 500) {
      refuse(res, status, (typeof type === 'string' && BODY_ERRORS[type]) || 'body could not be read', 'body');
      return;
    }
    next(error);
  };
}
