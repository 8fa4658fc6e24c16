import { describe, expect, it } from 'vitest';
import { departmentForm, departmentFormErrors, departmentInput } from './department-form.js';

describe('the department form', () => {
  it('starts a new department at 72 hours and an existing one at its own values', () => {
    expect(departmentForm(null)).toEqual({ code: '', name: '', defaultDeadlineHours: 72 });
    expect(departmentForm({ code: 'tp', name: '交警大队', defaultDeadlineHours: 48, active: true })).toEqual({ code: 'tp', name: '交警大队', defaultDeadlineHours: 48 });
  });

  it('wants a lower-case code when creating, a name, and whole hours', () => {
    expect(departmentFormErrors({ code: 'Traffic Police', name: ' ', defaultDeadlineHours: 0.5 }, true)).toEqual({
      code: 'codeFormat',
      name: 'nameRequired',
      defaultDeadlineHours: 'defaultDeadlineHours',
    });
    expect(departmentFormErrors({ code: 'traffic-police', name: '交警大队', defaultDeadlineHours: 72 }, true)).toEqual({});
    expect(departmentFormErrors({ code: 'whatever', name: '交警大队', defaultDeadlineHours: 72 }, false)).toEqual({});
  });

  it('sends the code only when creating', () => {
    expect(departmentInput({ code: ' eco ', name: ' 生态环境分局 ', defaultDeadlineHours: 96 }, true)).toEqual({ code: 'eco', name: '生态环境分局', defaultDeadlineHours: 96 });
    expect(departmentInput({ code: 'eco', name: '生态环境分局', defaultDeadlineHours: 96 }, false)).toEqual({ name: '生态环境分局', defaultDeadlineHours: 96 });
  });
});
