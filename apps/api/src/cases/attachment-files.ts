/**
 * Attachment files: what a file IS (its first bytes, never its name or the browser's word), the
 * name it is stored and offered under, and the download header.
 */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface SniffedType {
  contentType: string;
  extensions: readonly string[];
}

const TYPES: ReadonlyArray<SniffedType & { matches: (b: Buffer) => boolean }> = [
  { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'], matches: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    contentType: 'image/png',
    extensions: ['.png'],
    matches: (b) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    contentType: 'image/webp',
    extensions: ['.webp'],
    matches: (b) => b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
  },
  { contentType: 'application/pdf', extensions: ['.pdf'], matches: (b) => b.length >= 5 && b.toString('latin1', 0, 5) === '%PDF-' },
];

export const ALLOWED_ATTACHMENT_TYPES = TYPES.map((t) => t.contentType);

/** The whitelisted type the content's magic bytes say, or null. */
export function sniffType(content: Buffer): SniffedType | null {
  const found = TYPES.find((t) => t.matches(content));
  return found ? { contentType: found.contentType, extensions: found.extensions } : null;
}

/**
 * A name safe to store and to offer back: no directory part, no control or reserved characters,
 * at most 120 characters, and the extension of what the content is (`photo.exe` that is a PNG is
 * stored as `photo.exe.png`).
 */
export function sanitiseFileName(raw: string | undefined, type: SniffedType): string {
  let name = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  name = name.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f<>:"|?*\u202a-\u202e\u2066-\u2069]/g, '_').trim();
  name = name.replace(/^\.+/, '').replace(/\s+/g, ' ');
  const chars = [...name];
  if (chars.length > 120) name = chars.slice(0, 120).join('');
  if (name === '') name = 'attachment';
  const lower = name.toLowerCase();
  if (!type.extensions.some((ext) => lower.endsWith(ext))) name += type.extensions[0];
  return name;
}

/** `Content-Disposition` with an ASCII fallback and the UTF-8 name per RFC 5987 / RFC 6266. */
export function contentDisposition(kind: 'attachment' | 'inline', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
