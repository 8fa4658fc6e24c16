import { describe, expect, it } from 'vitest';
import { matchesTruckQuery, normalisePlate } from './plate.js';

describe('normalisePlate', () => {
  it('drops the separator dot and upper-cases letters', () => {
    expect(normalisePlate('鲁C·D12345')).toBe('鲁CD12345');
    expect(normalisePlate('鲁c-d12345')).toBe('鲁CD12345');
    expect(normalisePlate(' 鲁C D12345 ')).toBe('鲁CD12345');
  });

  it('folds full-width letters and digits typed by Chinese input methods', () => {
    expect(normalisePlate('鲁Ｃ·Ｄ１２３４５')).toBe('鲁CD12345');
  });
});

describe('matchesTruckQuery', () => {
  const truck = { plate: '鲁C·D12345', terminalId: '013912345678' };

  it('matches with or without the separator, in any case', () => {
    expect(matchesTruckQuery('鲁CD123', truck)).toBe(true);
    expect(matchesTruckQuery('c·d12', truck)).toBe(true);
    expect(matchesTruckQuery('d12345', truck)).toBe(true);
    expect(matchesTruckQuery('鲁', truck)).toBe(true);
  });

  it('matches every truck on an empty query', () => {
    expect(matchesTruckQuery('  ', truck)).toBe(true);
  });

  it('does not match another plate', () => {
    expect(matchesTruckQuery('鲁CE', truck)).toBe(false);
  });

  it('finds unregistered terminals by their terminal id', () => {
    expect(matchesTruckQuery('1391234', { plate: null, terminalId: '013912345678' })).toBe(true);
    expect(matchesTruckQuery('鲁C', { plate: null, terminalId: '013912345678' })).toBe(false);
  });
});
