import { describe, expect, it } from 'vitest';
import { fieldMatches, formatRate, formFieldOf, latLngsOfPolygon, lineFromLatLngs, matchesSearch, numberOrNull, polygonFromLatLngs, ratePercent, textOrNull } from './registry-forms.js';

describe('rates as the dashboard shows them', () => {
  it('shows a percentage with one decimal', () => {
    expect(formatRate({ numerator: 7, denominator: 8, rate: 0.875 })).toBe('87.5%');
    expect(formatRate({ numerator: 1, denominator: 3, rate: 1 / 3 })).toBe('33.3%');
    expect(formatRate({ numerator: 4, denominator: 4, rate: 1 })).toBe('100.0%');
  });
  it('shows a dash when the denominator is zero (rate null)', () => {
    expect(formatRate({ numerator: 0, denominator: 0, rate: null })).toBe('—');
    expect(ratePercent({ numerator: 0, denominator: 0, rate: null })).toBeNull();
    expect(ratePercent({ numerator: 1, denominator: 2, rate: 0.5 })).toBe(50);
  });
});

describe('form values to the wire', () => {
  it('turns blank text into null and trims the rest', () => {
    expect(textOrNull('  ')).toBeNull();
    expect(textOrNull(undefined)).toBeNull();
    expect(textOrNull(' 张三 ')).toBe('张三');
  });
  it('reads numbers, empty is null', () => {
    expect(numberOrNull('')).toBeNull();
    expect(numberOrNull('12.5')).toBe(12.5);
    expect(numberOrNull(0)).toBe(0);
    expect(numberOrNull('abc')).toBeNull();
  });
});

describe('drawn shapes to GeoJSON', () => {
  const ring = [
    { lat: 36.8, lng: 118.3 },
    { lat: 36.81, lng: 118.3 },
    { lat: 36.81, lng: 118.31 },
  ];
  it('closes the ring and swaps to [lon, lat]', () => {
    const polygon = polygonFromLatLngs(ring);
    expect(polygon.coordinates[0]).toEqual([
      [118.3, 36.8],
      [118.3, 36.81],
      [118.31, 36.81],
      [118.3, 36.8],
    ]);
    expect(latLngsOfPolygon(polygon)).toEqual([
      [36.8, 118.3],
      [36.81, 118.3],
      [36.81, 118.31],
    ]);
  });
  it('keeps a line open', () => {
    expect(lineFromLatLngs(ring).coordinates).toHaveLength(3);
  });
});

describe('400 field to form field', () => {
  it('matches the field or a path inside it', () => {
    expect(fieldMatches('geometry', 'geometry')).toBe(true);
    expect(fieldMatches('weekly.1.end', 'weekly')).toBe(true);
    expect(fieldMatches('weeklyX', 'weekly')).toBe(false);
    expect(fieldMatches(null, 'name')).toBe(false);
  });
  it('picks the most specific form field', () => {
    expect(formFieldOf('weekly.1.end', ['name', 'weekly', 'weekly.1.end'])).toBe('weekly.1.end');
    expect(formFieldOf('geometry.coordinates', ['name', 'geometry'])).toBe('geometry');
    expect(formFieldOf('nothing', ['name'])).toBeNull();
  });
});

describe('list search', () => {
  it('matches any field, ignoring case', () => {
    expect(matchesSearch(['鲁CA1234', null], 'ca12')).toBe(true);
    expect(matchesSearch(['齐鲁运输'], '运输')).toBe(true);
    expect(matchesSearch(['齐鲁运输'], '建设')).toBe(false);
    expect(matchesSearch([], ' ')).toBe(true);
  });
});
