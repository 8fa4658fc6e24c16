/** GBK text, as JT/T 808 carries every STRING (plates, models, text messages). */
import iconv from 'iconv-lite';

const gbkDecoder = new TextDecoder('gbk');

/**
 * GBK bytes as text. Fixed-width fields are padded with NULs, usually after the text but by some
 * terminals before it: NULs are dropped wherever they are, and surrounding spaces trimmed.
 * Never throws (bytes that are not GBK become U+FFFD).
 */
export function decodeGbk(bytes: Buffer): string {
  return gbkDecoder.decode(bytes).replaceAll('\u0000', '').trim();
}

/** Text as GBK bytes (characters GBK lacks become '?'). */
export function encodeGbk(text: string): Buffer {
  return iconv.encode(text, 'gbk');
}

/** Text as GBK in a fixed-width field, right-padded with NULs; throws a RangeError if it does not fit. */
export function fixedGbk(text: string, width: number, field: string): Buffer {
  const bytes = encodeGbk(text);
  if (bytes.length > width) throw new RangeError(`${field} is ${bytes.length} bytes in GBK, the field holds ${width}`);
  const out = Buffer.alloc(width);
  bytes.copy(out);
  return out;
}
