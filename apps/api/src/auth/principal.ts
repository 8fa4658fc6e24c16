import type { Role } from '@muckwatch/contracts';

/** Who is asking: the signed-in user as the database says now (role and scope are re-read per request). */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Set for town officials: the one town or street they may see. */
  townCode: string | null;
  /** Set for enforcement officers: the department whose assigned violations they see. */
  department: string | null;
  sessionId: string;
}

/** Where a request came from, for the audit log. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}
