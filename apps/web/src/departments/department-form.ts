import type { Department, DepartmentInput } from '@muckwatch/contracts';

/** As the API checks it: lower-case letters, digits and hyphens, starting with a letter or digit, at most 40. */
export const DEPARTMENT_CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const MIN_DEADLINE_HOURS = 1;
export const MAX_DEADLINE_HOURS = 8760;

export interface DepartmentForm {
  code: string;
  name: string;
  defaultDeadlineHours: number;
}

export function departmentForm(department: Department | null): DepartmentForm {
  return department
    ? { code: department.code, name: department.name, defaultDeadlineHours: department.defaultDeadlineHours }
    : { code: '', name: '', defaultDeadlineHours: 72 };
}

/** Message keys (under `cases.departments`) of what is wrong with the form. */
export function departmentFormErrors(form: DepartmentForm, creating: boolean): Partial<Record<keyof DepartmentForm, string>> {
  const errors: Partial<Record<keyof DepartmentForm, string>> = {};
  if (creating && !DEPARTMENT_CODE.test(form.code.trim())) errors.code = 'codeFormat';
  if (!form.name.trim()) errors.name = 'nameRequired';
  if (!Number.isInteger(form.defaultDeadlineHours) || form.defaultDeadlineHours < MIN_DEADLINE_HOURS || form.defaultDeadlineHours > MAX_DEADLINE_HOURS) {
    errors.defaultDeadlineHours = 'defaultDeadlineHours';
  }
  return errors;
}

/** The body to send: the code only when creating (it never changes). */
export function departmentInput(form: DepartmentForm, creating: boolean): DepartmentInput {
  return {
    ...(creating ? { code: form.code.trim() } : {}),
    name: form.name.trim(),
    defaultDeadlineHours: form.defaultDeadlineHours,
  };
}
