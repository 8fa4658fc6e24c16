import { createHash } from 'node:crypto';

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the audit log shows of a session: an opaque reference that ties a session's sign-in,
 * refreshes and sign-out together but cannot be turned back into the session id (a random UUID,
 * half of a refresh cookie). The same id always gives the same reference.
 */
export function sessionRef(sessionId: string): string {
  return `s-${createHash('sha256').update(sessionId.toLowerCase()).digest('hex').slice(0, 24)}`;
}

/** Audit rows written before references were used hold the session id itself: shown as its reference. */
export function auditedSessionRef(resourceId: string): string {
  return SESSION_ID.test(resourceId) ? sessionRef(resourceId) : resourceId;
}
