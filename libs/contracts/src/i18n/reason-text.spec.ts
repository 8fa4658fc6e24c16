import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON_TEMPLATES, renderReason, renderReasons } from './reason-text.js';

const DOMAIN = join(__dirname, '../../../domain/src/compliance');

/** Every reason code the engine can write: the literal ones in its source, and the expanded templated ones. */
function engineReasonCodes(): string[] {
  const codes = new Set<string>(['cover-open', 'cover-partial', 'exception-closed', 'exception-open', 'tipped-at-closed-site', 'tipped-at-illegal-site', 'entered-closed-site', 'entered-illegal-site']);
  for (const file of readdirSync(DOMAIN).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
    for (const m of readFileSync(join(DOMAIN, file), 'utf8').matchAll(/\{ code: '([a-z-]+)', detail:/g)) codes.add(m[1]!);
  }
  return [...codes].sort();
}

describe('violation reasons in words', () => {
  it('has a zh-CN and an English sentence for every code the engine writes', () => {
    const codes = engineReasonCodes();
    expect(codes.length).toBeGreaterThan(20);
    for (const code of codes) {
      expect(REASON_TEMPLATES['zh-CN'][code], code).toBeTruthy();
      expect(REASON_TEMPLATES.en[code], code).toBeTruthy();
    }
  });

  it('uses the same placeholders in both languages', () => {
    const names = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [code, zh] of Object.entries(REASON_TEMPLATES['zh-CN'])) {
      const en = REASON_TEMPLATES.en[code]!;
      expect(names(zh).every((n) => names(en).includes(n)), code).toBe(true);
    }
  });

  it('renders code and params, in Chinese first', () => {
    const reason = { code: 'above-limit', detail: '72 km/h where the limit is 60 km/h (zone:x)', params: { speedKmh: 72, limitKmh: 60, source: 'zone:x' } };
    expect(renderReason(reason, 'zh-CN')).toBe('车速 72 km/h，超过限速 60 km/h');
    expect(renderReason(reason, 'en')).toBe('72 km/h where the limit is 60 km/h');
  });

  it('falls back to the recorded detail for an unknown code or a row without params', () => {
    expect(renderReason({ code: 'future-rule', detail: 'something new' }, 'zh-CN')).toBe('something new');
    expect(renderReason({ code: 'above-limit', detail: 'old row' }, 'zh-CN')).toBe('old row');
    expect(renderReason({ code: 'outside-disposal-sites', detail: 'x' }, 'zh-CN')).toBe('在所有合法消纳场之外倾倒');
  });

  it('joins several reasons with the locale’s separator', () => {
    const reasons = [
      { code: 'no-permit', detail: '', params: { plate: '鲁CA1234' } },
      { code: 'unknown-origin', detail: '' },
    ];
    expect(renderReasons(reasons, 'zh-CN')).toBe('鲁CA1234 无准运证；在已登记工地和收集点之外装载');
  });
});
