/**
 * What pino writes as `[redacted]` in every log line, whatever its level: pino-http's request and
 * response lines, the error line of a 5xx, and every line logged during a request (nestjs-pino
 * binds the serialized request into those too). Access tokens come in the Authorization header,
 * refresh tokens in the Cookie header and go out in Set-Cookie; bodies are not logged, but if a
 * serializer ever adds them, their passwords and secrets stay out too.
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.body.password',
  'req.body.currentPassword',
  'req.body.newPassword',
  'req.body.secret',
  'res.body.accessToken',
  'res.body.credentials.password',
  'err.config.headers.authorization',
  'err.config.headers.cookie',
] as const;

export const LOG_REDACTION = { paths: [...LOG_REDACT_PATHS], censor: '[redacted]' };
