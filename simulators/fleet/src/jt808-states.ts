import {
  DEFAULT_TERMINAL_MODELS,
  STANDARD_TERMINAL_MODEL,
  type BodySource,
  type BodyState,
  type CoverSource,
  type CoverState,
  type LoadSource,
  type LoadState,
  type TelemetryFix,
  type TerminalModelMapping,
} from '@muckwatch/contracts';
import type { Jt808LocationInput } from '@muckwatch/jt808';

/**
 * How a simulated JT/T 808 terminal puts a muck truck's cover, body and load into a 0x0200 report:
 * the inverse of the gateway's `readMuckStates` (libs/contracts/src/jt808/muck-states.ts) for the
 * model the registry will read it with. Pure.
 */

/**
 * The shipped default model a registry maker reads as (libs/contracts/src/jt808/terminal-model-defaults.ts):
 * its row when the maker names one of the vendors (the platform matches the maker exactly, so the
 * demo registers 鸿泉 / 锐明 terminals under those names), else the standard JT/T 808 row.
 */
export function defaultModelForMaker(maker: string | null | undefined): { key: string; mapping: TerminalModelMapping } {
  const name = (maker ?? '').trim().toLowerCase();
  const row = DEFAULT_TERMINAL_MODELS.find((m) => !m.fallback && name === m.maker.toLowerCase()) ?? STANDARD_TERMINAL_MODEL;
  return { key: row.key, mapping: row.mapping };
}

/** JT/T 808 status word bits 0 (ACC on) and 1 (positioned), 2 (south) and 3 (west). */
const ACC_ON = 0x01;
const POSITIONED = 0x02;
const SOUTH = 0x04;
const WEST = 0x08;
/** Longest additional item the encoder builds (JT/T 808 gives an item at most 255 bytes). */
const MAX_ITEM_BYTES = 255;

type Items = Map<number, Buffer>;

function itemByteSet(items: Items, itemId: number, offset: number, apply: (byte: number) => number): void {
  if (offset >= MAX_ITEM_BYTES) return;
  let value = items.get(itemId);
  if (!value || value.length <= offset) {
    const grown = Buffer.alloc(offset + 1);
    value?.copy(grown);
    value = grown;
    items.set(itemId, value);
  }
  value[offset] = apply(value[offset]!) & 0xff;
}

/** The value of a two-state source for `state`: the set side, the clear side, or a table entry. */
function encodeTwoState<S extends string>(
  source: CoverSource | BodySource | undefined,
  state: S | null | undefined,
  other: Readonly<Record<string, S>>,
  status: { word: number },
  items: Items,
): void {
  if (!source || state == null) return;
  switch (source.from) {
    case 'status-bit': {
      const set = state === source.whenSet || (other[state] !== undefined && other[state] === source.whenSet);
      if (set) status.word = (status.word | (1 << source.bit)) >>> 0;
      break;
    }
    case 'item-bits': {
      const set = state === source.whenSet || (other[state] !== undefined && other[state] === source.whenSet);
      itemByteSet(items, source.itemId, source.offset, (byte) => (set ? byte | source.mask : byte & ~source.mask));
      break;
    }
    case 'item-values': {
      const entry = (source.values as Array<{ value: number; state: string }>).find((e) => e.state === state);
      if (entry) itemByteSet(items, source.itemId, source.offset, () => entry.value);
      break;
    }
  }
}

/**
 * A two-state source says only one of two states; the others are said as the nearest one it has:
 * a partly closed cover is not sealed (open), a sensor fault is not reported at all.
 */
const COVER_AS: Readonly<Record<CoverState, 'open' | 'closed' | null>> = { open: 'open', closed: 'closed', partial: 'open', fault: null };
const BODY_AS: Readonly<Record<BodyState, 'raised' | 'down' | null>> = { raised: 'raised', down: 'down', fault: null };
/** What a load source without an 'overload' entry says for an overload. */
const LOAD_FALLBACK: Readonly<Partial<Record<LoadState, LoadState>>> = { overload: 'full' };

function encodeLoad(source: LoadSource | undefined, state: LoadState | undefined, status: { word: number }, items: Items): void {
  if (!source || state === undefined) return;
  switch (source.from) {
    case 'status-field': {
      const entry = source.values.find((e) => e.state === state) ?? source.values.find((e) => e.state === LOAD_FALLBACK[state]);
      if (!entry) return;
      const mask = (2 ** source.width - 1) * 2 ** source.bit;
      status.word = ((status.word & ~mask) | (entry.value * 2 ** source.bit)) >>> 0;
      return;
    }
    case 'item-values': {
      const entry = source.values.find((e) => e.state === state) ?? source.values.find((e) => e.state === LOAD_FALLBACK[state]);
      if (entry) itemByteSet(items, source.itemId, source.offset, () => entry.value);
      return;
    }
    case 'voltage': {
      const band = source.bands.find((b) => b.state === state) ?? source.bands.find((b) => b.state === LOAD_FALLBACK[state]);
      if (!band || source.offset + source.width > MAX_ITEM_BYTES) return;
      // The middle of the band, in the sensor's raw units.
      const maxRaw = 2 ** (8 * source.width) - 1;
      const raw = Math.max(0, Math.min(maxRaw, Math.round((band.minV + band.maxV) / 2 / source.scaleV)));
      for (let i = 0; i < source.width; i++) {
        const byte = Math.floor(raw / 2 ** (8 * (source.width - 1 - i))) & 0xff;
        itemByteSet(items, source.itemId, source.offset + i, () => byte);
      }
      return;
    }
  }
}

/** The status word and additional items that carry `states` under `mapping`. */
export function encodeMuckStates(
  mapping: TerminalModelMapping,
  states: { cover?: CoverState; body?: BodyState; load?: LoadState },
  baseStatus = 0,
): { status: number; extras: Map<number, Buffer> } {
  const status = { word: baseStatus >>> 0 };
  const items: Items = new Map();
  const cover = states.cover === undefined ? null : COVER_AS[states.cover];
  const body = states.body === undefined ? null : BODY_AS[states.body];
  encodeTwoState(mapping.cover, cover, { open: 'open', closed: 'closed' }, status, items);
  encodeTwoState(mapping.body, body, { raised: 'raised', down: 'down' }, status, items);
  // A table source can say a partial cover or a fault itself.
  if (mapping.cover?.from === 'item-values' && states.cover !== undefined) encodeTwoState(mapping.cover, states.cover, {}, status, items);
  if (mapping.body?.from === 'item-values' && states.body !== undefined) encodeTwoState(mapping.body, states.body, {}, status, items);
  encodeLoad(mapping.load, states.load, status, items);
  return { status: status.word, extras: items };
}

/** Epoch ms of a fix's `ts` (epoch ms or ISO 8601 with offset). */
export function fixTimeMs(fix: TelemetryFix): number {
  return typeof fix.ts === 'number' ? fix.ts : Date.parse(fix.ts);
}

/** The 0x0200 body input of one simulated fix, for a terminal of `mapping`'s model. */
export function locationOfFix(fix: TelemetryFix, mapping: TerminalModelMapping): Jt808LocationInput {
  let base = 0;
  if (fix.ignition) base |= ACC_ON;
  if (fix.valid !== false) base |= POSITIONED;
  if (fix.lat < 0) base |= SOUTH;
  if (fix.lon < 0) base |= WEST;
  const { status, extras } = encodeMuckStates(mapping, { ...(fix.cover && { cover: fix.cover }), ...(fix.body && { body: fix.body }), ...(fix.load && { load: fix.load }) }, base);
  return {
    lat: fix.lat,
    lon: fix.lon,
    fixTimeMs: fixTimeMs(fix),
    speedKmh: fix.speedKmh,
    headingDeg: fix.headingDeg,
    altitudeM: fix.altitudeM ?? 0,
    status,
    mileageKm: fix.mileageKm ?? null,
    satellites: fix.satellites ?? null,
    extras,
  };
}
