import { describe, expect, it } from 'vitest';
import { resolveTruckKey, truckLink } from './truck-link.js';

const rows = [
  { key: 'T100', terminalId: 'T100', truckId: 'truck-1', plate: '鲁CA1234' },
  { key: 'truck:truck-2', terminalId: null, truckId: 'truck-2', plate: '鲁CB5678' },
  { key: 'T300', terminalId: 'T300', truckId: null, plate: null },
];

describe('a truck’s URL', () => {
  it('encodes the id into the path', () => {
    expect(truckLink('truck/1')).toBe('/trucks/truck%2F1');
  });

  it('finds the truck by terminal id, truck id or plate', () => {
    expect(resolveTruckKey(rows, 'T100')).toBe('T100');
    expect(resolveTruckKey(rows, 'truck-1')).toBe('T100');
    expect(resolveTruckKey(rows, 'truck-2')).toBe('truck:truck-2');
    expect(resolveTruckKey(rows, '鲁CB5678')).toBe('truck:truck-2');
    expect(resolveTruckKey(rows, 'T999')).toBeNull();
  });
});
