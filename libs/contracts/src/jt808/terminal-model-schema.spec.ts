import { describe, expect, it } from 'vitest';
import { checkTerminalModelBody, checkTerminalModelMapping } from './terminal-model-schema.js';
import { DEFAULT_TERMINAL_MODELS } from './terminal-model-defaults.js';

describe('terminal model mappings: what the registry accepts', () => {
  it('accepts every shipped default', () => {
    for (const model of DEFAULT_TERMINAL_MODELS) expect(checkTerminalModelMapping(model.mapping), model.key).toBeNull();
  });

  it('refuses a status bit outside 0–31 and an item id outside 0–255, naming the field', () => {
    expect(checkTerminalModelMapping({ cover: { from: 'status-bit', bit: 32, whenSet: 'open' } })).toMatchObject({
      field: 'mapping.cover.bit',
      code: 'input.invalid',
      params: { rule: 'maximum', limit: 31 },
    });
    expect(checkTerminalModelMapping({ body: { from: 'item-bits', itemId: 256, offset: 0, mask: 1, whenSet: 'raised' } })).toMatchObject({
      field: 'mapping.body.itemId',
    });
  });

  it('refuses an unknown kind of source and a state of the wrong quantity', () => {
    expect(checkTerminalModelMapping({ cover: { from: 'gpio' } })?.field).toBe('mapping.cover.from');
    expect(checkTerminalModelMapping({ cover: { from: 'status-bit', bit: 1, whenSet: 'raised' } })?.field).toBe('mapping.cover.whenSet');
  });

  it('refuses overlapping, reversed or unordered voltage bands', () => {
    const load = (bands: unknown[]) => ({ load: { from: 'voltage', itemId: 0x2b, offset: 0, width: 2, scaleV: 0.01, bands } });
    expect(checkTerminalModelMapping(load([{ state: 'empty', minV: 0, maxV: 2 }, { state: 'full', minV: 1.5, maxV: 3 }]))).toMatchObject({
      field: 'mapping.load.bands.1.minV',
      code: 'terminal_model.bands_overlap',
    });
    expect(checkTerminalModelMapping(load([{ state: 'empty', minV: 2, maxV: 2 }]))?.code).toBe('terminal_model.band_empty');
    expect(checkTerminalModelMapping(load([{ state: 'full', minV: 3, maxV: 4 }, { state: 'empty', minV: 0, maxV: 1 }]))?.code).toBe('terminal_model.bands_overlap');
    expect(checkTerminalModelMapping(load([{ state: 'empty', minV: 0, maxV: 1 }, { state: 'full', minV: 1, maxV: 4 }]))).toBeNull();
  });

  it('refuses a status field beyond bit 31, a value wider than its field and a repeated table value', () => {
    const field = (bit: number, width: number, values: unknown[]) => ({ load: { from: 'status-field', bit, width, values } });
    expect(checkTerminalModelMapping(field(30, 4, [{ value: 0, state: 'empty' }]))?.code).toBe('terminal_model.field_outside_status');
    expect(checkTerminalModelMapping(field(8, 2, [{ value: 4, state: 'full' }]))?.code).toBe('terminal_model.value_too_wide');
    expect(checkTerminalModelMapping(field(8, 2, [{ value: 1, state: 'half' }, { value: 1, state: 'full' }]))?.code).toBe('terminal_model.value_repeated');
  });

  it('bounds tables and commands', () => {
    const values = Array.from({ length: 17 }, (_, i) => ({ value: i, state: 'open' }));
    expect(checkTerminalModelMapping({ cover: { from: 'item-values', itemId: 1, offset: 0, values } })?.params).toMatchObject({ rule: 'maxItems' });
    expect(checkTerminalModelMapping({ commands: { lock: { via: 'vendor-message', messageId: 0x8f01, bodyTemplate: '0' } } })?.field).toBe(
      'mapping.commands.lock.bodyTemplate',
    );
    expect(checkTerminalModelMapping({ commands: { speedCap: { via: 'vendor-message', messageId: 1, bodyTemplate: '01{speedKmh:u16}' } } })).toBeNull();
    expect(
      checkTerminalModelMapping({ commands: { speedCap: { via: 'set-parameters', parameters: [{ id: 0x55, type: 'byte', value: 300 }] } } })?.code,
    ).toBe('terminal_model.parameter_value_invalid');
    expect(checkTerminalModelMapping({ commands: { selfDestruct: { via: 'terminal-control', command: 1, params: '' } } })?.field).toBe(
      'mapping.commands.selfDestruct',
    );
  });

  it('checks whole bodies: blank maker, missing mapping, unknown fields; a PATCH may omit anything', () => {
    expect(checkTerminalModelBody({ maker: ' ', name: 'x', mapping: {} })?.field).toBe('maker');
    expect(checkTerminalModelBody({ maker: 'a', name: 'x' })?.field).toBe('mapping');
    expect(checkTerminalModelBody({ maker: 'a', name: 'x', mapping: {}, extra: 1 })?.field).toBe('extra');
    expect(checkTerminalModelBody({ name: 'x' }, true)).toBeNull();
    expect(checkTerminalModelBody([], true)?.field).toBe('body');
  });
});
