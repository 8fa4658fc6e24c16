import { localDateOf, parseLocalDate } from '@muckwatch/domain';
import { badInput } from './input.js';

/** Today in Asia/Shanghai, or the `on` query parameter (YYYY-MM-DD). */
export function dayParam(name: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') return localDateOf(Date.now());
  if (parseLocalDate(raw) === null) badInput(name, `${name} must be a date YYYY-MM-DD`, { code: 'input.date_invalid' });
  return raw;
}

export function today(): string {
  return localDateOf(Date.now());
}
