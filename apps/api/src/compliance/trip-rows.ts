import type { PlaceAtTime, TripRecord } from '@muckwatch/contracts';

/** Trips as the compliance engine stores them (table `trips`), read back as TripRecord; the list is apps/api/src/trips. */

/** Where and when an episode or a trip started and, once it has, ended. */
export interface EndpointColumns {
  started_at: Date;
  start_lon: number;
  start_lat: number;
  ended_at: Date | null;
  end_lon: number | null;
  end_lat: number | null;
}

export function endpoints(r: EndpointColumns): { start: PlaceAtTime; end: PlaceAtTime | null } {
  return {
    start: { at: r.started_at.toISOString(), lon: r.start_lon, lat: r.start_lat },
    end: r.ended_at && r.end_lon !== null && r.end_lat !== null ? { at: r.ended_at.toISOString(), lon: r.end_lon, lat: r.end_lat } : null,
  };
}

export const TRIP_COLUMNS = `id, terminal_id, truck_id, plate, approval_id, approval_number, origin_id, origin_name, destination_id,
  destination_name, started_at, ST_X(start_geom) AS start_lon, ST_Y(start_geom) AS start_lat, ended_at,
  ST_X(end_geom) AS end_lon, ST_Y(end_geom) AS end_lat, town_code, distance_m, status, reasons, reported_late`;

export interface TripRow {
  id: string;
  terminal_id: string;
  truck_id: string | null;
  plate: string | null;
  approval_id: string | null;
  approval_number: string | null;
  origin_id: string | null;
  origin_name: string | null;
  destination_id: string | null;
  destination_name: string | null;
  started_at: Date;
  start_lon: number;
  start_lat: number;
  ended_at: Date | null;
  end_lon: number | null;
  end_lat: number | null;
  town_code: string | null;
  distance_m: number;
  status: TripRecord['status'];
  reasons: TripRecord['reasons'];
  reported_late: boolean;
}

export function toTrip(r: TripRow): TripRecord {
  return {
    id: r.id,
    terminalId: r.terminal_id,
    truckId: r.truck_id,
    plate: r.plate,
    approvalId: r.approval_id,
    approvalNumber: r.approval_number,
    originId: r.origin_id,
    originName: r.origin_name,
    destinationId: r.destination_id,
    destinationName: r.destination_name,
    ...endpoints(r),
    townCode: r.town_code,
    distanceM: r.distance_m,
    status: r.status,
    reasons: r.reasons,
    reportedLate: r.reported_late,
  };
}
