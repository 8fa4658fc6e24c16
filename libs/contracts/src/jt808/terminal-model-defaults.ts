/**
 * The terminal models the platform ships (seeded once by the migration
 * apps/api/src/database/migrations/1765100000000-TerminalModels.ts, then edited in the console).
 * They are DEFAULTS, not vendor documentation: each one states what it assumes, and a district
 * should confirm every bit against the maker's protocol appendix (附加信息定义) before relying on it.
 * Changing a default here changes only new databases; an existing one keeps its rows (write a
 * migration to change them).
 *
 * The cover / body / load values are the telemetry contract's (../telemetry/telemetry.ts).
 */
import type { TerminalModelMapping } from './terminal-model.js';

export interface DefaultTerminalModel {
  /** Stable key of the seed row. */
  key: string;
  maker: string;
  model: string | null;
  name: string;
  notes: string;
  mapping: TerminalModelMapping;
  /** The row used when a terminal's maker / model match nothing. */
  fallback?: true;
}

/** JT/T 808-2013 table 24: status bits 8–9 carry the load (00 empty, 01 half, 10 reserved, 11 full). */
const STANDARD_LOAD: TerminalModelMapping['load'] = {
  from: 'status-field',
  bit: 8,
  width: 2,
  values: [
    { value: 0b00, state: 'empty' },
    { value: 0b01, state: 'half' },
    { value: 0b11, state: 'full' },
  ],
};

/** 0x8103 parameter 0x0055 最高速度 (km/h, DWORD): the standard speed cap. Releasing writes a ceiling no truck reaches. */
const STANDARD_SPEED: NonNullable<TerminalModelMapping['commands']> = {
  speedCap: { via: 'set-parameters', parameters: [{ id: 0x0055, type: 'dword', value: '{speedKmh}' }] },
  speedRelease: { via: 'set-parameters', parameters: [{ id: 0x0055, type: 'dword', value: 200 }] },
};

export const STANDARD_TERMINAL_MODEL: DefaultTerminalModel = {
  key: 'jt808-standard',
  maker: 'JT/T 808',
  model: null,
  name: 'JT/T 808 标准终端（默认）',
  notes:
    '默认值。仅按 JT/T 808-2013/2019 标准读取：载重取状态位 bit8–9（00 空车、01 半载、11 满载，10 保留读作未知）；' +
    '标准没有密闭与举升的定义，读作未知。限速用 0x8103 参数 0x0055（最高速度），解除即写回 200 km/h。' +
    '锁车与禁举升没有标准指令，不提供。',
  mapping: { load: STANDARD_LOAD, commands: STANDARD_SPEED },
  fallback: true,
};

/**
 * Vendor defaults. Assumptions, one per row:
 * - 鸿泉 (Hopechart) muck-truck terminals: 0xE3 carries the lift (举升) event (byte 0 bit 0 = raised)
 *   and 0xE4 the abnormal states (byte 0 bit 0 = cover open, 未密闭); load from the standard status
 *   bits; lock / lift inhibit through 0x8105 vendor command words 0x64 / 0x65 with "1" / "0".
 * - 锐明 (Streamax): cover on status bit 13 (door 1 = 前门 wired to the cover's limit switch; set =
 *   open), body on status bit 14 (door 2 wired to the lift switch; set = raised); load from the
 *   load sensor on the standard analog item 0x2B, AD0 (offset 0, 2 bytes, 10 mV units) in bands.
 * - 雅迅 (Yaxon): value tables in 0xE4 byte 0 (cover: 0 closed, 1 open, 2 half-closed, 0xFF sensor
 *   fault) and 0xE3 byte 0 (body: 0 down, 1 raised, 0xFF fault); load from 0xE5 byte 0 (0 empty,
 *   1 half, 2 full, 3 overload); lock / unlock as vendor message 0x8F01 with a one-byte flag.
 */
export const VENDOR_TERMINAL_MODELS: DefaultTerminalModel[] = [
  {
    key: 'hopechart',
    maker: '鸿泉',
    model: null,
    name: '鸿泉渣土车终端（默认）',
    notes: '默认值（需按厂家协议附录核实）：0xE3 第 0 字节 bit0=举升；0xE4 第 0 字节 bit0=未密闭；载重取标准状态位 bit8–9；锁车/禁举升为 0x8105 命令字 0x64/0x65，参数 "1" 生效、"0" 解除。',
    mapping: {
      cover: { from: 'item-bits', itemId: 0xe4, offset: 0, mask: 0x01, whenSet: 'open' },
      body: { from: 'item-bits', itemId: 0xe3, offset: 0, mask: 0x01, whenSet: 'raised' },
      load: STANDARD_LOAD,
      commands: {
        ...STANDARD_SPEED,
        lock: { via: 'terminal-control', command: 0x64, params: '1' },
        unlock: { via: 'terminal-control', command: 0x64, params: '0' },
        liftInhibit: { via: 'terminal-control', command: 0x65, params: '1' },
        liftRelease: { via: 'terminal-control', command: 0x65, params: '0' },
      },
    },
  },
  {
    key: 'streamax',
    maker: '锐明',
    model: null,
    name: '锐明渣土车终端（默认）',
    notes:
      '默认值（需按安装接线核实）：密闭取状态位 bit13（门 1 接篷布限位开关，置位=未密闭）；举升取状态位 bit14（门 2 接举升开关，置位=举升）；' +
      '载重取模拟量 0x2B 的 AD0（偏移 0、2 字节、单位 10 mV）：0–1.5 V 空车、1.5–3 V 半载、3–4.5 V 满载、4.5–10 V 超载。限速用标准参数 0x0055。',
    mapping: {
      cover: { from: 'status-bit', bit: 13, whenSet: 'open' },
      body: { from: 'status-bit', bit: 14, whenSet: 'raised' },
      load: {
        from: 'voltage',
        itemId: 0x2b,
        offset: 0,
        width: 2,
        scaleV: 0.01,
        bands: [
          { state: 'empty', minV: 0, maxV: 1.5 },
          { state: 'half', minV: 1.5, maxV: 3 },
          { state: 'full', minV: 3, maxV: 4.5 },
          { state: 'overload', minV: 4.5, maxV: 10 },
        ],
      },
      commands: STANDARD_SPEED,
    },
  },
  {
    key: 'yaxon',
    maker: '雅迅',
    model: null,
    name: '雅迅渣土车终端（默认）',
    notes:
      '默认值（需按厂家协议附录核实）：0xE4 第 0 字节 0=密闭、1=未密闭、2=半密闭、0xFF=传感器故障；0xE3 第 0 字节 0=落下、1=举升、0xFF=故障；' +
      '0xE5 第 0 字节 0 空车、1 半载、2 满载、3 超载；锁车/解锁为厂家消息 0x8F01，消息体 1 字节（01 锁、00 解）。限速用标准参数 0x0055。',
    mapping: {
      cover: {
        from: 'item-values',
        itemId: 0xe4,
        offset: 0,
        values: [
          { value: 0, state: 'closed' },
          { value: 1, state: 'open' },
          { value: 2, state: 'partial' },
          { value: 0xff, state: 'fault' },
        ],
      },
      body: {
        from: 'item-values',
        itemId: 0xe3,
        offset: 0,
        values: [
          { value: 0, state: 'down' },
          { value: 1, state: 'raised' },
          { value: 0xff, state: 'fault' },
        ],
      },
      load: {
        from: 'item-values',
        itemId: 0xe5,
        offset: 0,
        values: [
          { value: 0, state: 'empty' },
          { value: 1, state: 'half' },
          { value: 2, state: 'full' },
          { value: 3, state: 'overload' },
        ],
      },
      commands: {
        ...STANDARD_SPEED,
        lock: { via: 'vendor-message', messageId: 0x8f01, bodyTemplate: '01' },
        unlock: { via: 'vendor-message', messageId: 0x8f01, bodyTemplate: '00' },
      },
    },
  },
];

/** Every seeded row: the standard fallback first. */
export const DEFAULT_TERMINAL_MODELS: DefaultTerminalModel[] = [STANDARD_TERMINAL_MODEL, ...VENDOR_TERMINAL_MODELS];
