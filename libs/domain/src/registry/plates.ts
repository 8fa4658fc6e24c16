/**
 * Chinese motor-vehicle plates (GA 36-2018). Stored without separator and upper case:
 *   fuel (blue / yellow)         鲁CA1234   province + issuing-office letter + 5 of [A-HJ-NP-Z0-9]
 *   new energy, large vehicles   鲁C12345D  province + letter + 5 digits + D (electric) / F (hybrid)
 *   new energy, small vehicles   鲁CD12345  province + letter + D/F + one of [A-HJ-NP-Z0-9] + 4 digits
 *   trailer                      鲁CA123挂  province + letter + 4 of [A-HJ-NP-Z0-9] + 挂
 * Letters I and O are never used. Muck trucks are large vehicles: fuel or large new-energy plates.
 */

export type PlateKind = 'fuel' | 'new-energy' | 'trailer';

export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

const P = `[${PLATE_PROVINCES}]`;
const L = '[A-HJ-NP-Z]';
const C = '[A-HJ-NP-Z0-9]';
const FORMATS: Array<{ kind: PlateKind; pattern: RegExp }> = [
  { kind: 'new-energy', pattern: new RegExp(`^${P}${L}\\d{5}[DF]$`, 'u') },
  { kind: 'new-energy', pattern: new RegExp(`^${P}${L}[DF]${C}\\d{4}$`, 'u') },
  { kind: 'fuel', pattern: new RegExp(`^${P}${L}${C}{5}$`, 'u') },
  { kind: 'trailer', pattern: new RegExp(`^${P}${L}${C}{4}挂$`, 'u') },
];

const SEPARATORS = /[\s·•・･‧.\-_]/gu;

/** Removes separators ('鲁C·A1234', '鲁C-A1234', '鲁C A1234') and upper-cases. */
export function normalisePlate(plate: string): string {
  return plate.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
}

export type PlateCheck = { valid: true; plate: string; kind: PlateKind } | { valid: false; plate: string; reason: string };

/** Normalises and checks a plate against the known formats. */
export function checkPlate(raw: string): PlateCheck {
  const plate = normalisePlate(raw);
  for (const format of FORMATS) if (format.pattern.test(plate)) return { valid: true, plate, kind: format.kind };
  const first = [...plate][0];
  let reason: string;
  if (!first || !PLATE_PROVINCES.includes(first)) reason = 'it must start with a province abbreviation such as 鲁';
  else if (!/^[A-HJ-NP-Z]$/u.test([...plate][1] ?? '')) reason = 'the second character must be the issuing-office letter (A–Z without I and O)';
  else reason = 'it matches no plate format (鲁CA1234, new energy 鲁C12345D or 鲁CD12345, trailer 鲁CA123挂)';
  return { valid: false, plate, reason };
}

/** How a stored plate is shown: 鲁C·A1234. */
export function displayPlate(plate: string): string {
  const chars = [...plate];
  return chars.length > 2 ? `${chars.slice(0, 2).join('')}·${chars.slice(2).join('')}` : plate;
}
