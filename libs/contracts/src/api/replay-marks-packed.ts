import type { TripStatusName, ViolationSeverity } from './compliance.js';
import type { ReplayFenceMark, ReplayMarks, ReplayPlace, ReplayStop, ReplayTripMark, ReplayTruck, ReplayViolationMark } from './replay.js';

/**
 * The marks of a period as `GET …/marks?format=packed` sends them (the console's form): the same
 * marks as `ReplayMarks`, in parallel columns. A month's marks are thousands of stops and fence
 * crossings naming the same few places again and again: here each place and each text is sent once
 * and named by its index, times are milliseconds since the mark before (the first since `from`),
 * coordinates 1e-5 degree (~1 m) as the difference from the mark before. `unpackReplayMarks` gives
 * back `ReplayMarks` (coordinates rounded to 1e-5°).
 */
export interface PackedReplayMarks {
  truck: ReplayTruck;
  from: string;
  to: string;
  minStopMinutes: number;
  /** Every place a stop or a fence crossing names, once. */
  places: ReplayPlace[];
  /** Every text a trip or a violation names (origins, destinations), once. */
  texts: string[];
  trips: {
    id: string[];
    status: TripStatusName[];
    /** Start, delta ms. */
    t: number[];
    /** ms from the start to the end; -1: not ended. */
    length: number[];
    /** Index into `texts`; -1: none. */
    origin: number[];
    destination: number[];
    /** Start, delta 1e-5°. */
    lat: number[];
    lon: number[];
    /** End minus start, 1e-5°; null when the trip has no end place. */
    endLat: Array<number | null>;
    endLon: Array<number | null>;
  };
  stops: {
    t: number[];
    /** ms from the start to the end. */
    length: number[];
    lat: number[];
    lon: number[];
    /** Bit 0 body raised, bit 1 suspicious, bits 2–3 ignition (0 not reported, 1 off, 2 on). */
    flags: number[];
    /** Index into `places`; -1: none. */
    place: number[];
    /** Index into `texts`; -1: none. */
    town: number[];
  };
  violations: { id: string[]; type: string[]; severity: ViolationSeverity[]; t: number[]; length: number[]; lat: number[]; lon: number[] };
  fences: {
    /** 0 enter, 1 exit. */
    kind: number[];
    t: number[];
    lat: number[];
    lon: number[];
    /** Index into `places`. */
    place: number[];
  };
}

const E5 = 1e5;

/** Deltas of `values` (the first from `origin`). */
function deltas(values: readonly number[], origin = 0): number[] {
  let before = origin;
  return values.map((v) => {
    const d = v - before;
    before = v;
    return d;
  });
}

/** The running sums of `values` (the first from `origin`). */
function sums(values: readonly number[], origin = 0): number[] {
  let at = origin;
  return values.map((d) => (at += d));
}

/** Index of each distinct key, in first-seen order. */
class Table<T> {
  readonly items: T[] = [];
  private readonly index = new Map<string, number>();
  add(key: string, item: T): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(item);
      this.index.set(key, i);
    }
    return i;
  }
}

const e5 = (deg: number): number => Math.round(deg * E5);

export function packReplayMarks(marks: ReplayMarks): PackedReplayMarks {
  const from = Date.parse(marks.from);
  const places = new Table<ReplayPlace>();
  const texts = new Table<string>();
  const place = (p: ReplayPlace | null): number => (p ? places.add(`${p.kind} ${p.id}`, p) : -1);
  const text = (s: string | null): number => (s === null ? -1 : texts.add(s, s));
  const ms = (iso: string): number => Date.parse(iso);
  const { trips, stops, violations, fences } = marks;
  return {
    truck: marks.truck,
    from: marks.from,
    to: marks.to,
    minStopMinutes: marks.minStopMinutes,
    trips: {
      id: trips.map((t) => t.id),
      status: trips.map((t) => t.status),
      t: deltas(trips.map((t) => ms(t.startedAt)), from),
      length: trips.map((t) => (t.endedAt ? ms(t.endedAt) - ms(t.startedAt) : -1)),
      origin: trips.map((t) => text(t.originName)),
      destination: trips.map((t) => text(t.destinationName)),
      lat: deltas(trips.map((t) => e5(t.start[0]))),
      lon: deltas(trips.map((t) => e5(t.start[1]))),
      endLat: trips.map((t) => (t.end ? e5(t.end[0]) - e5(t.start[0]) : null)),
      endLon: trips.map((t) => (t.end ? e5(t.end[1]) - e5(t.start[1]) : null)),
    },
    stops: {
      t: deltas(stops.map((s) => ms(s.startedAt)), from),
      length: stops.map((s) => ms(s.endedAt) - ms(s.startedAt)),
      lat: deltas(stops.map((s) => e5(s.lat))),
      lon: deltas(stops.map((s) => e5(s.lon))),
      flags: stops.map((s) => (s.bodyRaised ? 1 : 0) | (s.suspicious ? 2 : 0) | ((s.ignitionOn === null ? 0 : s.ignitionOn ? 2 : 1) << 2)),
      place: stops.map((s) => place(s.place)),
      town: stops.map((s) => text(s.townName)),
    },
    violations: {
      id: violations.map((v) => v.id),
      type: violations.map((v) => v.type),
      severity: violations.map((v) => v.severity),
      t: deltas(violations.map((v) => ms(v.startedAt)), from),
      length: violations.map((v) => (v.endedAt ? ms(v.endedAt) - ms(v.startedAt) : -1)),
      lat: deltas(violations.map((v) => e5(v.lat))),
      lon: deltas(violations.map((v) => e5(v.lon))),
    },
    fences: {
      kind: fences.map((f) => (f.kind === 'enter' ? 0 : 1)),
      t: deltas(fences.map((f) => ms(f.at)), from),
      lat: deltas(fences.map((f) => e5(f.lat))),
      lon: deltas(fences.map((f) => e5(f.lon))),
      place: fences.map((f) => place(f.place)),
    },
    places: places.items,
    texts: texts.items,
  };
}

export function unpackReplayMarks(packed: PackedReplayMarks): ReplayMarks {
  const from = Date.parse(packed.from);
  const iso = (ms: number): string => new Date(ms).toISOString();
  const deg = (v: number): number => v / E5;
  const text = (i: number): string | null => (i < 0 ? null : (packed.texts[i] ?? null));
  const place = (i: number): ReplayPlace | null => (i < 0 ? null : (packed.places[i] ?? null));
  const { trips: tr, stops: st, violations: vi, fences: fe } = packed;

  const tripT = sums(tr.t, from);
  const [tripLat, tripLon] = [sums(tr.lat), sums(tr.lon)];
  const trips: ReplayTripMark[] = tr.id.map((id, i) => {
    const [endLat, endLon] = [tr.endLat[i], tr.endLon[i]];
    return {
      id,
      status: tr.status[i]!,
      startedAt: iso(tripT[i]!),
      endedAt: tr.length[i]! < 0 ? null : iso(tripT[i]! + tr.length[i]!),
      originName: text(tr.origin[i]!),
      destinationName: text(tr.destination[i]!),
      start: [deg(tripLat[i]!), deg(tripLon[i]!)],
      end: endLat === null || endLat === undefined || endLon === null || endLon === undefined ? null : [deg(tripLat[i]! + endLat), deg(tripLon[i]! + endLon)],
    };
  });

  const stopT = sums(st.t, from);
  const [stopLat, stopLon] = [sums(st.lat), sums(st.lon)];
  const stops: ReplayStop[] = stopT.map((at, i) => {
    const flags = st.flags[i]!;
    const ignition = (flags >> 2) & 3;
    return {
      startedAt: iso(at),
      endedAt: iso(at + st.length[i]!),
      durationS: Math.round(st.length[i]! / 1000),
      lat: deg(stopLat[i]!),
      lon: deg(stopLon[i]!),
      bodyRaised: (flags & 1) !== 0,
      ignitionOn: ignition === 0 ? null : ignition === 2,
      place: place(st.place[i]!),
      townName: text(st.town[i]!),
      suspicious: (flags & 2) !== 0,
    };
  });

  const violationT = sums(vi.t, from);
  const [violationLat, violationLon] = [sums(vi.lat), sums(vi.lon)];
  const violations: ReplayViolationMark[] = vi.id.map((id, i) => ({
    id,
    type: vi.type[i]!,
    severity: vi.severity[i]!,
    startedAt: iso(violationT[i]!),
    endedAt: vi.length[i]! < 0 ? null : iso(violationT[i]! + vi.length[i]!),
    lat: deg(violationLat[i]!),
    lon: deg(violationLon[i]!),
  }));

  const fenceT = sums(fe.t, from);
  const [fenceLat, fenceLon] = [sums(fe.lat), sums(fe.lon)];
  const fences: ReplayFenceMark[] = [];
  fenceT.forEach((at, i) => {
    const p = place(fe.place[i]!);
    if (p) fences.push({ kind: fe.kind[i] === 0 ? 'enter' : 'exit', at: iso(at), lat: deg(fenceLat[i]!), lon: deg(fenceLon[i]!), place: p });
  });

  return { truck: packed.truck, from: packed.from, to: packed.to, minStopMinutes: packed.minStopMinutes, trips, stops, violations, fences };
}
