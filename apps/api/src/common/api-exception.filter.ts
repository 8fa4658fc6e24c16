import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { ApiError } from '@muckwatch/contracts';

/** Every error leaves as an ApiError body; no stack trace or internal message ever does. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const retryAfter = (exception as { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retryAfter !== undefined) response.setHeader('Retry-After', String(Math.ceil(retryAfter)));
      // Named rate limits answer `Retry-After-<name>`; clients know the standard header.
      const named = Object.keys(response.getHeaders()).find((h) => h.startsWith('retry-after-'));
      if (named) response.setHeader('Retry-After', String(response.getHeader(named)));
      const status = exception.getStatus();
      const body = exception.getResponse();
      const details = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const detail = details['message'];
      const message = typeof body === 'string' ? body : Array.isArray(detail) ? detail.join('; ') : typeof detail === 'string' ? detail : exception.message;
      const params = details['params'];
      const error: ApiError = {
        statusCode: status,
        error: HttpStatus[status]?.toString() ?? 'Error',
        code: typeof details['code'] === 'string' ? details['code'] : `http.${status}`,
        ...(typeof params === 'object' && params !== null ? { params: params as Record<string, unknown> } : {}),
        message,
        ...(typeof details['field'] === 'string' ? { field: details['field'] } : {}),
      };
      response.status(status).json(error);
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const error: ApiError = { statusCode: 500, error: 'INTERNAL_SERVER_ERROR', code: 'http.500', message: 'internal error' };
    response.status(500).json(error);
  }
}
