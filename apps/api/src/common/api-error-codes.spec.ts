import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { API_ERROR_MESSAGES, API_ERROR_PARAMS, renderApiError, templatePlaceholders } from '@muckwatch/contracts';

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

interface Site {
  file: string;
  code: string;
  /** The keys of a `params: { … }` literal right after the code, when there is one. */
  params: string[] | null;
}

/** The top-level keys of an object literal's text (`{ field: name, min, max }` → field, min, max). */
function literalKeys(body: string): string[] | null {
  if (body.includes('...')) return null;
  const keys: string[] = [];
  let depth = 0;
  let part = '';
  for (const ch of body) {
    if ('{[('.includes(ch)) depth++;
    if ('}])'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      keys.push(part);
      part = '';
    } else part += ch;
  }
  keys.push(part);
  return keys.map((k) => k.trim().split(':')[0]!.trim()).filter(Boolean);
}

/** Every error code the API source names after `code:` (string literals, also in `a ? 'x' : 'y'`). */
function thrownCodes(): Site[] {
  const sites: Site[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bcode:\s*([^,}\n]+)(?:,\s*params:\s*\{([^}]*)\})?/g)) {
      for (const literal of match[1]!.matchAll(/'([a-z][a-z0-9_]*(?:\.[a-zA-Z0-9_]+)+)'/g)) {
        sites.push({ file: file.slice(SRC.length), code: literal[1]!, params: match[2] === undefined ? null : literalKeys(match[2]) });
      }
    }
    // The case module's `new CodedError(status, 'code', message, { params }, field)`.
    for (const match of text.matchAll(/new CodedError\(\s*[^,]+,\s*'([a-z][a-z0-9_]*(?:\.[a-zA-Z0-9_]+)+)',\s*(?:`[^`]*`|'[^']*'|[^,]+),\s*(?:\{([^}]*)\})?/g)) {
      sites.push({ file: file.slice(SRC.length), code: match[1]!, params: match[2] === undefined ? null : literalKeys(match[2]) });
    }
  }
  return sites;
}

describe('the API error catalogue', () => {
  const sites = thrownCodes();
  const params = API_ERROR_PARAMS as Record<string, readonly string[]>;

  it('finds the codes the API throws', () => {
    expect(sites.length).toBeGreaterThan(40);
    expect(sites.map((s) => s.code)).toEqual(expect.arrayContaining(['input.invalid', 'auth.locked', 'user.username_taken', 'registry.not_found']));
  });

  it('has a zh-CN and an English sentence for every code the API throws', () => {
    const missing = sites.filter((s) => !(s.code in API_ERROR_MESSAGES['zh-CN']) || !(s.code in API_ERROR_MESSAGES.en));
    expect(missing).toEqual([]);
  });

  it('declares the params of every code, and both languages name the same codes', () => {
    expect(Object.keys(API_ERROR_MESSAGES['zh-CN']).sort()).toEqual(Object.keys(params).sort());
    expect(Object.keys(API_ERROR_MESSAGES.en).sort()).toEqual(Object.keys(params).sort());
  });

  it('uses in every template only the params its code carries', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const [code, template] of Object.entries(API_ERROR_MESSAGES[locale])) {
        for (const name of templatePlaceholders(template)) expect(params[code], `${locale} ${code} {${name}}`).toContain(name);
      }
    }
  });

  it('gives every template the params it uses where the API throws the code with a params literal', () => {
    const short = sites.flatMap((site) => {
      if (site.params === null) return [];
      const declared = params[site.code] ?? [];
      // `field` may come from the helper that throws (badInput adds it).
      const absent = declared.filter((name) => !site.params!.includes(name) && name !== 'field');
      return absent.length ? [`${site.file}: ${site.code} lacks ${absent.join(', ')}`] : [];
    });
    expect(short).toEqual([]);
  });

  it('renders every template with its params and leaves no placeholder', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const code of Object.keys(params)) {
        const sample = Object.fromEntries(params[code]!.map((name) => [name, `<${name}>`]));
        const [base, variant] = code.startsWith('input.invalid.') ? ['input.invalid', code.slice('input.invalid.'.length)] : [code, null];
        const text = renderApiError({ code: base, params: variant ? { ...sample, rule: variant } : sample, message: 'fallback' }, locale);
        expect(text, `${locale} ${code}`).not.toMatch(/\{\w+\}/);
        expect(text, `${locale} ${code}`).not.toBe('fallback');
      }
    }
  });
});

describe('renderApiError', () => {
  it('renders a code with its params in Chinese and English', () => {
    const error = { code: 'input.int_out_of_range', params: { field: 'limit', min: 1, max: 500 }, message: 'limit must be an integer from 1 to 500' };
    expect(renderApiError(error, 'zh-CN')).toBe('limit 须为 1 至 500 之间的整数');
    expect(renderApiError(error, 'en')).toBe('limit must be an integer from 1 to 500');
  });

  it('renders a JSON Schema failure by its rule, lists joined in the language', () => {
    expect(renderApiError({ code: 'input.invalid', params: { field: 'role', rule: 'enum', allowed: ['admin', 'auditor'] }, message: 'x' }, 'zh-CN')).toBe(
      'role 须为以下之一：admin、auditor',
    );
    expect(renderApiError({ code: 'input.invalid', params: { field: 'name', rule: 'maxLength', limit: 100 }, message: 'x' }, 'zh-CN')).toBe('name 最多 100 个字符');
    expect(renderApiError({ code: 'input.invalid', params: { field: 'name', rule: 'someNewRule' }, message: 'x' }, 'zh-CN')).toBe('name 的值不符合要求');
  });

  it('renders the case workflow codes', () => {
    expect(renderApiError({ code: 'case.version_conflict', params: { currentVersion: 4 }, message: 'stale' }, 'zh-CN')).toContain('当前版本 4');
    expect(renderApiError({ code: 'registry.not_found', params: { kind: 'truck', id: 'x' }, message: 'truck x not found' }, 'zh-CN')).toBe('车辆不存在');
  });

  it('falls back to the message for an unknown code or missing params', () => {
    expect(renderApiError({ code: 'brand.new', params: {}, message: 'something new' }, 'zh-CN')).toBe('something new');
    expect(renderApiError({ code: 'input.int_out_of_range', params: { field: 'limit' }, message: 'limit is off' }, 'zh-CN')).toBe('limit is off');
  });
});
