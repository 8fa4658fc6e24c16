import { describe, expect, it } from 'vitest';
import { spreadsheetCell, spreadsheetRow } from './spreadsheet-cell.js';

describe('a spreadsheet cell never starts a formula', () => {
  it('quotes text that a spreadsheet program would run (the OWASP list)', () => {
    expect(spreadsheetCell('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(spreadsheetCell('+1+cmd|" /C calc"!A0')).toBe(`'+1+cmd|" /C calc"!A0`);
    expect(spreadsheetCell('-2+3')).toBe(`'-2+3`);
    expect(spreadsheetCell('@SUM(A1:A2)')).toBe(`'@SUM(A1:A2)`);
    expect(spreadsheetCell('\t=1')).toBe(`'\t=1`);
    expect(spreadsheetCell('\r=1')).toBe(`'\r=1`);
  });

  it('quotes the full-width forms too', () => {
    expect(spreadsheetCell('＝1+1')).toBe(`'＝1+1`);
    expect(spreadsheetCell('＠A1')).toBe(`'＠A1`);
  });

  it('leaves ordinary text alone, including a formula character later in the text', () => {
    expect(spreadsheetCell('dispatcher')).toBe('dispatcher');
    expect(spreadsheetCell('a=b')).toBe('a=b');
    expect(spreadsheetCell('{"reason":"=x"}')).toBe('{"reason":"=x"}');
    expect(spreadsheetCell('2026-06-01T00:00:00.000Z')).toBe('2026-06-01T00:00:00.000Z');
    expect(spreadsheetCell('齐鲁石化')).toBe('齐鲁石化');
    expect(spreadsheetCell('')).toBe('');
  });

  it('writes null and undefined as empty cells, numbers and booleans as they are (text that looks like a number is still quoted)', () => {
    expect(spreadsheetRow([null, undefined, 3, true, -1, '-1'])).toEqual(['', '', '3', 'true', '-1', `'-1`]);
  });
});
