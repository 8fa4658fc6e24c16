import type { BodyState, CoverState, LoadState } from '../telemetry/telemetry.js';
import type { ItemBitsSource, ItemValuesSource, LoadSource, StatusBitSource, TerminalModelMapping } from './terminal-model.js';

/** What a JT/T 808 location report carries that the mapping reads. */
export interface LocationReportFacts {
  /** The 32-bit status word (状态位), as an unsigned number. */
  status: number;
  /** Additional items (附加信息) by id: their raw values. */
  extras: ReadonlyMap<number, Uint8Array>;
}

/** The muck truck's states, in the telemetry contract's values; null = the mapping has no source or the report lacks it. */
export interface MuckStates {
  cover: CoverState | null;
  body: BodyState | null;
  load: LoadState | null;
  /** The load sensor's voltage when the load comes from one (volts), else absent. */
  loadVoltage?: number | null;
}

const OTHER: Record<string, string> = { open: 'closed', closed: 'open', raised: 'down', down: 'raised' };

function statusBit(status: number, bit: number): boolean {
  return ((status >>> bit) & 1) === 1;
}

function itemByte(extras: ReadonlyMap<number, Uint8Array>, itemId: number, offset: number): number | null {
  const value = extras.get(itemId);
  if (!value || offset >= value.length) return null;
  return value[offset]!;
}

function readTwoState<S extends string>(
  source: StatusBitSource<S> | ItemBitsSource<S> | ItemValuesSource<S> | undefined,
  facts: LocationReportFacts,
): S | null {
  if (!source) return null;
  switch (source.from) {
    case 'status-bit':
      return statusBit(facts.status, source.bit) ? source.whenSet : (OTHER[source.whenSet] as S);
    case 'item-bits': {
      const byte = itemByte(facts.extras, source.itemId, source.offset);
      if (byte === null) return null;
      return (byte & source.mask) !== 0 ? source.whenSet : (OTHER[source.whenSet] as S);
    }
    case 'item-values': {
      const byte = itemByte(facts.extras, source.itemId, source.offset);
      if (byte === null) return null;
      return source.values.find((entry) => entry.value === byte)?.state ?? null;
    }
  }
}

function readUnsigned(extras: ReadonlyMap<number, Uint8Array>, itemId: number, offset: number, width: 1 | 2 | 4): number | null {
  const value = extras.get(itemId);
  if (!value || offset + width > value.length) return null;
  let n = 0;
  for (let i = 0; i < width; i += 1) n = n * 256 + value[offset + i]!;
  return n;
}

function readLoad(source: LoadSource | undefined, facts: LocationReportFacts): Pick<MuckStates, 'load' | 'loadVoltage'> {
  if (!source) return { load: null };
  switch (source.from) {
    case 'status-field': {
      const field = Math.floor(facts.status / 2 ** source.bit) % 2 ** source.width;
      return { load: source.values.find((entry) => entry.value === field)?.state ?? null };
    }
    case 'item-values':
      return { load: readTwoState(source, facts) };
    case 'voltage': {
      const raw = readUnsigned(facts.extras, source.itemId, source.offset, source.width);
      if (raw === null) return { load: null, loadVoltage: null };
      // Rounded to the millivolt so 0.01 × 1234 reads 12.34, not 12.340000000000002.
      const volts = Math.round(raw * source.scaleV * 1000) / 1000;
      const band = source.bands.find((b) => volts >= b.minV && volts < b.maxV);
      return { load: band?.state ?? null, loadVoltage: volts };
    }
  }
}

/**
 * The cover, body and load states a location report shows under a model's mapping. Pure: the
 * JT/T 808 gateway calls it for every 0x0200 / 0x0704 fix. A source whose item is missing from the
 * report, or too short for its offset, reads null (unknown), never a guess.
 *
 * The mapping is assumed valid (checkTerminalModelMapping, ./terminal-model-schema.ts); the
 * status word is taken as unsigned 32 bits.
 */
export function readMuckStates(mapping: TerminalModelMapping, facts: LocationReportFacts): MuckStates {
  const status = facts.status >>> 0;
  const normalized: LocationReportFacts = { status, extras: facts.extras };
  return {
    cover: readTwoState(mapping.cover, normalized),
    body: readTwoState(mapping.body, normalized),
    ...readLoad(mapping.load, normalized),
  };
}
