/** The URL that opens the live map with a truck selected: a truck id, a terminal id or a plate. */
export function truckLink(id: string): string {
  return `/trucks/${encodeURIComponent(id)}`;
}

/** The live map's query parameter that selects a truck (`/?truck=…`). */
export const TRUCK_QUERY = 'truck';

/**
 * The live list's row key for what a link names: a row's key or terminal id, its registered
 * truck id, or its plate (a unique match). Null while nothing matches (e.g. the registry is still loading).
 */
export function resolveTruckKey(
  rows: readonly { key: string; terminalId: string | null; truckId: string | null; plate: string | null }[],
  id: string,
): string | null {
  const wanted = id.trim();
  if (!wanted) return null;
  const byKey = rows.find((row) => row.key === wanted || row.terminalId === wanted || row.truckId === wanted);
  if (byKey) return byKey.key;
  const byPlate = rows.filter((row) => row.plate === wanted);
  return byPlate.length === 1 ? byPlate[0]!.key : null;
}
