import { ConflictException } from '@nestjs/common';

interface PgError {
  code?: string;
  constraint?: string;
  table?: string;
}

/**
 * Turns a unique or foreign-key violation into a 409 naming the field (`fields` maps constraint
 * names to the input field they guard); anything else is rethrown.
 */
export function conflictFromPg(error: unknown, fields: Record<string, string> = {}): never {
  const e = error as PgError;
  if (e?.code === '23505') {
    const field = (e.constraint && fields[e.constraint]) ?? undefined;
    throw new ConflictException({
      code: 'registry.duplicate',
      params: { field: field ?? '' },
      message: `${field ?? 'a unique value'} is already registered`, ...(field ? { field } : {}) });
  }
  if (e?.code === '23503') {
    throw new ConflictException({
      code: 'registry.in_use',
      params: {},
      message: `still referred to by ${e.table?.replace(/_/g, ' ') ?? 'other records'}; remove those references first` });
  }
  throw error;
}

export async function orConflict<T>(work: Promise<T>, fields: Record<string, string> = {}): Promise<T> {
  try {
    return await work;
  } catch (error) {
    conflictFromPg(error, fields);
  }
}
