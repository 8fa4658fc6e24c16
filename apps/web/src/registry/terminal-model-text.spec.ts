import { describe, expect, it } from 'vitest';
import { DEFAULT_TERMINAL_MODELS, type TerminalModelRecord } from '@muckwatch/contracts';
import { i18n } from '../i18n/index.js';
import { commandsText, parseMappingText, sourceText, terminalModelForm } from './terminal-model-text.js';

const t = (key: string, params?: Record<string, unknown>): string => i18n.global.t(key, params ?? {});
const byKey = (key: string) => DEFAULT_TERMINAL_MODELS.find((m) => m.key === key)!.mapping;

describe('terminal model texts in the console', () => {
  it('says in zh-CN where each state of the shipped defaults comes from', () => {
    i18n.global.locale.value = 'zh-CN';
    expect(sourceText(byKey('hopechart').body, t)).toBe('附加信息 0xE3 第 0 字节 & 0x01 = 举升');
    expect(sourceText(byKey('streamax').cover, t)).toBe('状态位 bit13 置位 = 未密闭');
    expect(sourceText(byKey('streamax').load, t)).toBe('附加信息 0x2B 电压（2 字节 × 0.01 V，4 个区间）');
    expect(sourceText(byKey('jt808-standard').load, t)).toBe('状态位 bit8–bit9 查表（3 项）');
    expect(sourceText(byKey('jt808-standard').cover, t)).toBe('不读取');
    expect(commandsText(byKey('yaxon'), t)).toBe('限速、解除限速、锁车、解锁');
  });

  it('speaks English too', () => {
    i18n.global.locale.value = 'en';
    expect(sourceText(byKey('yaxon').cover, t)).toBe('item 0xE4 byte 0 by table (4 entries)');
    i18n.global.locale.value = 'zh-CN';
  });

  it('edits the mapping as JSON text and reports text that is not JSON', () => {
    const form = terminalModelForm({ mapping: byKey('hopechart') } as TerminalModelRecord);
    expect(parseMappingText(form.mapping)).toEqual({ ok: true, mapping: byKey('hopechart') });
    expect(parseMappingText('')).toEqual({ ok: true, mapping: {} });
    expect(parseMappingText('{cover:')).toMatchObject({ ok: false });
  });
});
