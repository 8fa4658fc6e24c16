import { describe, expect, it } from 'vitest';
import { checkPlate, displayPlate } from './plates.js';

/** The reason a check failed ('' when it passed). */
function why(check: { valid: true } | { valid: false; reason: string }): string {
  return check.valid ? '' : check.reason;
}

describe('plates', () => {
  it('accepts fuel, new-energy (large and small) and trailer plates, with any separator and case', () => {
    expect(checkPlate('鲁CA1234')).toEqual({ valid: true, plate: '鲁CA1234', kind: 'fuel' });
    expect(checkPlate('鲁C·a1234')).toEqual({ valid: true, plate: '鲁CA1234', kind: 'fuel' });
    expect(checkPlate('鲁C 12345D')).toEqual({ valid: true, plate: '鲁C12345D', kind: 'new-energy' });
    expect(checkPlate('鲁C-12345f')).toEqual({ valid: true, plate: '鲁C12345F', kind: 'new-energy' });
    expect(checkPlate('京AD12345')).toEqual({ valid: true, plate: '京AD12345', kind: 'new-energy' });
    expect(checkPlate('鲁CA123挂')).toEqual({ valid: true, plate: '鲁CA123挂', kind: 'trailer' });
  });

  it('refuses what is no plate, with the reason', () => {
    expect(why(checkPlate('AB12345'))).toMatch(/province/);
    expect(why(checkPlate('鲁1A1234'))).toMatch(/issuing-office/);
    expect(checkPlate('鲁CI1234').valid).toBe(false); // I is never used
    expect(checkPlate('鲁CA123').valid).toBe(false); // too short
    expect(checkPlate('鲁CA123456').valid).toBe(false); // too long for fuel, no D/F
    expect(checkPlate('鲁C1234D5').valid).toBe(false);
    expect(checkPlate('').valid).toBe(false);
  });

  it('displays with the separator dot', () => {
    expect(displayPlate('鲁C12345D')).toBe('鲁C·12345D');
  });
});
