import type { CoverSource, BodySource, LoadSource, TerminalCommandAction, TerminalModelMapping, TerminalModelRecord } from '@muckwatch/contracts';

type Translate = (key: string, params?: Record<string, unknown>) => string;

const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

/** One line saying where a state comes from (the terminal-models page's table), in the console's language. */
export function sourceText(source: CoverSource | BodySource | LoadSource | undefined, t: Translate): string {
  if (!source) return t('registry.terminalModels.none');
  const state = (s: string): string => t(`registry.terminalModels.states.${s}`);
  switch (source.from) {
    case 'status-bit':
      return t('registry.terminalModels.source.statusBit', { bit: source.bit, state: state(source.whenSet) });
    case 'item-bits':
      return t('registry.terminalModels.source.itemBits', { item: hex(source.itemId), offset: source.offset, mask: hex(source.mask), state: state(source.whenSet) });
    case 'item-values':
      return t('registry.terminalModels.source.itemValues', { item: hex(source.itemId), offset: source.offset, count: source.values.length });
    case 'status-field':
      return t('registry.terminalModels.source.statusField', { from: source.bit, to: source.bit + source.width - 1, count: source.values.length });
    case 'voltage':
      return t('registry.terminalModels.source.voltage', { item: hex(source.itemId), width: source.width, scale: source.scaleV, count: source.bands.length });
  }
}

/** The control actions a mapping offers, named in the console's language ('—' when none). */
export function commandsText(mapping: TerminalModelMapping, t: Translate): string {
  const actions = Object.keys(mapping.commands ?? {}) as TerminalCommandAction[];
  return actions.length ? actions.map((a) => t(`registry.terminalModels.actions.${a}`)).join('、') : '—';
}

/** The form of the terminal-model dialog: the mapping is edited as JSON text. */
export interface TerminalModelForm {
  maker: string;
  model: string;
  name: string;
  notes: string;
  mapping: string;
}

export function terminalModelForm(record: TerminalModelRecord | null): TerminalModelForm {
  return {
    maker: record?.maker ?? '',
    model: record?.model ?? '',
    name: record?.name ?? '',
    notes: record?.notes ?? '',
    mapping: JSON.stringify(record?.mapping ?? {}, null, 2),
  };
}

/** The mapping text parsed, or the parser's message (the server checks the content). */
export function parseMappingText(text: string): { ok: true; mapping: TerminalModelMapping } | { ok: false; message: string } {
  try {
    return { ok: true, mapping: JSON.parse(text.trim() === '' ? '{}' : text) as TerminalModelMapping };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
