/**
 * Deterministic UUIDs for demo records: the same key gives the same id on every run and every
 * machine, so the demo can be re-seeded without breaking links. Format: RFC 9562 UUIDv8
 * (custom content), 122 bits from four 32-bit FNV-1a/murmur-style hashes of the key.
 */
export function stableUuid(key: string): string {
  const words = [0x811c9dc5, 0x01000193, 0xdeadbeef, 0x41c6ce57].map((seed) => hash32(`muckwatch:${key}`, seed));
  const hex = words.map((w) => w.toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function hash32(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
