/**
 * Terminal models (终端型号): how one maker's JT/T 808 terminals report a muck truck's cover (密闭),
 * body (举升) and load (载重) in a 0x0200 location report, and how the platform's control commands
 * map to JT/T 808 downlinks. The registry keeps one mapping per maker / model
 * (/api/v1/terminal-models); the JT/T 808 gateway reads the states with `readMuckStates`
 * (./muck-states.ts) and produces exactly the telemetry contract's values
 * (../telemetry/telemetry.ts: CoverState, BodyState, LoadState).
 *
 * Bit and byte conventions: status bits are numbered 0–31 from the least significant bit of the
 * 32-bit status word (JT/T 808 table 24); an additional item (附加信息) is addressed by its id
 * (0–255) and a byte offset into its value; multi-byte values are big-endian, as everything in
 * JT/T 808.
 */
import type { BodyState, CoverState, LoadState } from '../telemetry/telemetry.js';

/** The state a two-state source reports when its bit (or any bit of its mask) is set; clear = the other one. */
export interface StatusBitSource<S extends string> {
  from: 'status-bit';
  /** 0–31, least significant first. */
  bit: number;
  whenSet: S;
}

/** Bits of one byte of an additional item: set (value & mask ≠ 0) → `whenSet`, clear → the other state. */
export interface ItemBitsSource<S extends string> {
  from: 'item-bits';
  /** Additional item id, 0–255 (e.g. 0xE3 = 227). */
  itemId: number;
  /** Byte offset into the item's value, 0–255. */
  offset: number;
  /** 1–255: the bits that mean `whenSet`. */
  mask: number;
  whenSet: S;
}

/** One byte of an additional item read through a table; a value not in the table reads as unknown (null). */
export interface ItemValuesSource<S extends string> {
  from: 'item-values';
  itemId: number;
  offset: number;
  values: Array<{ value: number; state: S }>;
}

/** The two states a bit source chooses between, per quantity. */
export type CoverSource = StatusBitSource<'open' | 'closed'> | ItemBitsSource<'open' | 'closed'> | ItemValuesSource<CoverState>;
export type BodySource = StatusBitSource<'raised' | 'down'> | ItemBitsSource<'raised' | 'down'> | ItemValuesSource<BodyState>;

/** Several adjacent status bits read as a number through a table (the standard: bits 8–9, 00 empty, 01 half, 11 full). */
export interface StatusFieldSource {
  from: 'status-field';
  /** Lowest bit of the field, 0–31. */
  bit: number;
  /** 1–4 bits (bit + width ≤ 32). */
  width: number;
  values: Array<{ value: number; state: LoadState }>;
}

/** A voltage band [minV, maxV) of a load sensor and the load it means. */
export interface VoltageBand {
  state: LoadState;
  minV: number;
  maxV: number;
}

/** A load-sensor voltage in an additional item: raw unsigned big-endian integer × `scaleV` volts, then the bands. */
export interface LoadVoltageSource {
  from: 'voltage';
  itemId: number;
  offset: number;
  /** 1, 2 or 4 bytes. */
  width: 1 | 2 | 4;
  /** Volts per unit of the raw value (e.g. 0.01: the raw value is in 10 mV). */
  scaleV: number;
  /** Ordered by minV, not overlapping; a voltage in no band reads as unknown load (the voltage is still reported). */
  bands: VoltageBand[];
}

export type LoadSource = StatusFieldSource | ItemValuesSource<LoadState> | LoadVoltageSource;

/** The platform's control actions (what the commands feature asks a terminal to do). */
export const TERMINAL_COMMAND_ACTIONS = ['lock', 'unlock', 'speedCap', 'speedRelease', 'liftInhibit', 'liftRelease'] as const;
export type TerminalCommandAction = (typeof TERMINAL_COMMAND_ACTIONS)[number];

/** 0x8105 终端控制: a command word and its parameter string (`;`-separated, as JT/T 808 table 21). */
export interface TerminalControlCommand {
  via: 'terminal-control';
  /** Command word, 1–255. */
  command: number;
  /** Parameter string; `{speedKmh}` is replaced by the requested cap. At most 200 characters. */
  params: string;
}

/** A vendor's own downlink message: message id and body as hex, `{speedKmh:u8}` / `{speedKmh:u16}` placeholders allowed. */
export interface VendorMessageCommand {
  via: 'vendor-message';
  /** 0x0000–0xFFFF. */
  messageId: number;
  /** Even-length hex, with placeholders; at most 512 characters. */
  bodyTemplate: string;
}

/** 0x8103 设置终端参数: parameter ids (0–0xFFFFFFFF) and values; the value `'{speedKmh}'` takes the requested cap. */
export interface SetParametersCommand {
  via: 'set-parameters';
  parameters: Array<{ id: number; type: 'byte' | 'word' | 'dword' | 'string'; value: number | string }>;
}

export type TerminalCommandMapping = TerminalControlCommand | VendorMessageCommand | SetParametersCommand;

/** Everything the gateway needs to know about one model. Every part is optional: what is absent is not read (null) or not offered. */
export interface TerminalModelMapping {
  cover?: CoverSource;
  body?: BodySource;
  load?: LoadSource;
  commands?: Partial<Record<TerminalCommandAction, TerminalCommandMapping>>;
}

/** /api/v1/terminal-models, id = uuid. */
export interface TerminalModelRecord {
  id: string;
  /** Matched case-insensitively against the registry terminal's maker. */
  maker: string;
  /** Matched case-insensitively against the registry terminal's model; null = any model of this maker. */
  model: string | null;
  /** What the console shows. */
  name: string;
  notes: string | null;
  mapping: TerminalModelMapping;
  /** A row the platform ships (a vendor default): editable, its assumptions are in its notes. */
  isDefault: boolean;
  /** The standard JT/T 808 row used for terminals whose maker / model match nothing; cannot be deleted. */
  isFallback: boolean;
  createdAt: string;
  updatedAt: string;
}

/** POST /api/v1/terminal-models; PATCH takes any subset. */
export interface TerminalModelInput {
  maker: string;
  model?: string | null;
  name: string;
  notes?: string | null;
  mapping: TerminalModelMapping;
}

/** POST /api/v1/terminals/{terminalId}/jt808-auth-code: the auth code, shown this once. */
export interface Jt808AuthCodeResponse {
  terminalId: string;
  authCode: string;
  issuedAt: string;
  /** An earlier code stopped working. */
  rotated: boolean;
}

/** Whether a JT/T 808 terminal holds an auth code (GET /api/v1/terminals/jt808-auth-codes); never the code. */
export interface Jt808AuthCodeStatus {
  terminalId: string;
  /** 'issued': a code is active; 'revoked': an admin revoked it (registration is refused until one is issued); 'none': never issued. */
  state: 'issued' | 'revoked' | 'none';
  issuedAt: string | null;
  /** 'register' = the terminal registered (0x0100); 'admin' = issued in the console. */
  issuedVia: 'register' | 'admin' | null;
  revokedAt: string | null;
}
