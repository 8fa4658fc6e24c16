/**
 * Plates are written with or without a separator after the issuing-office letter
 * (鲁C·D12345, 鲁C-D12345, 鲁C D12345, 鲁CD12345); search ignores it and letter case.
 */
const SEPARATORS = /[\s·•・･‧.\-_]/gu;

export function normalisePlate(plate: string): string {
  return plate.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
}

/** True when the query is empty or a substring of the plate or the terminal id, ignoring separators and case. */
export function matchesTruckQuery(
  query: string,
  truck: { plate: string | null; terminalId: string | null },
): boolean {
  const needle = normalisePlate(query);
  if (needle === '') return true;
  if (truck.plate !== null && normalisePlate(truck.plate).includes(needle)) return true;
  return truck.terminalId !== null && normalisePlate(truck.terminalId).includes(needle);
}
