import { describe, expect, it } from 'vitest';
import { rejectionReasonLabel, REJECTION_REASONS } from '@muckwatch/contracts';
import { listState, payloadExcerpt, rejectionsQuery, visiblePayload, type RejectionFilterForm } from './rejections-view.js';

const form = (over: Partial<RejectionFilterForm> = {}): RejectionFilterForm => ({ range: null, terminalId: '', reason: '', ...over });

describe('rejectionsQuery', () => {
  it('pages by offset and limit', () => {
    expect(rejectionsQuery(form(), 1, 50).query).toEqual({ limit: 50, offset: 0 });
    expect(rejectionsQuery(form(), 3, 20).query).toEqual({ limit: 20, offset: 40 });
  });

  it('reads the range as Shanghai wall-clock times', () => {
    const { query } = rejectionsQuery(form({ range: ['2026-11-26 08:00:00', '2026-11-26 09:30:00'] }), 1, 20, 'Asia/Shanghai');
    expect(query.from).toBe('2026-11-26T00:00:00.000Z');
    expect(query.to).toBe('2026-11-26T01:30:00.000Z');
  });

  it('sends the terminal and the reason, and flags a terminal id the API would refuse', () => {
    const ok = rejectionsQuery(form({ terminalId: ' T-0001 ', reason: 'zero_position' }), 1, 20);
    expect(ok).toEqual({ query: { limit: 20, offset: 0, terminalId: 'T-0001', reason: 'zero_position' }, problem: null });
    expect(rejectionsQuery(form({ terminalId: 'T 0001/..' }), 1, 20).problem).toBe('terminalId');
  });
});

describe('listState', () => {
  it('keeps loading, failed, empty and ready apart', () => {
    expect(listState(true, false, null)).toBe('loading');
    expect(listState(false, true, null)).toBe('failed');
    expect(listState(false, true, { rejections: [] })).toBe('failed');
    expect(listState(false, false, { rejections: [] })).toBe('empty');
    expect(listState(true, false, { rejections: [] })).toBe('loading');
    expect(listState(false, false, { rejections: [{} as never] })).toBe('ready');
    // Reloading a filled page keeps the rows on screen (the table shows its own spinner).
    expect(listState(true, false, { rejections: [{} as never] })).toBe('ready');
  });
});

describe('payload display', () => {
  it('shows control, bidi and zero-width characters as escapes, and keeps markup as text', () => {
    expect(visiblePayload('{"a":"x\u0000y"}')).toBe('{"a":"x\\u{0000}y"}');
    expect(visiblePayload('abc\u202Egpj.exe')).toBe('abc\\u{202E}gpj.exe');
    expect(visiblePayload('a\u200Bb\uFEFF')).toBe('a\\u{200B}b\\u{FEFF}');
    expect(visiblePayload('<script>alert(1)</script>\n\t')).toBe('<script>alert(1)</script>\n\t');
    expect(visiblePayload('\uD800x')).toBe('\\u{D800}x');
    expect(visiblePayload('渣土车 🚛')).toBe('渣土车 🚛');
  });

  it('cuts a long payload to an excerpt with an ellipsis, and shows it whole when expanded', () => {
    const long = 'x'.repeat(300);
    expect(payloadExcerpt(long, false, 100)).toEqual({ text: `${'x'.repeat(100)}…`, expandable: true });
    expect(payloadExcerpt(long, true, 100)).toEqual({ text: long, expandable: true });
    expect(payloadExcerpt('short', false, 100)).toEqual({ text: 'short', expandable: false });
  });

  it('never cuts inside a surrogate pair', () => {
    const text = `${'x'.repeat(9)}🚛tail`;
    expect(payloadExcerpt(text, false, 10).text).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('reason names', () => {
  it('names every reason in Chinese, and an unknown one as it is', () => {
    expect(REJECTION_REASONS.length).toBeGreaterThan(10);
    for (const reason of REJECTION_REASONS) expect(rejectionReasonLabel(reason, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
    expect(rejectionReasonLabel('zero_position', 'zh-CN')).toBe('坐标为 0,0（未定位）');
    expect(rejectionReasonLabel('brand_new', 'zh-CN')).toBe('brand_new');
  });
});
