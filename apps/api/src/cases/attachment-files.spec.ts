import { describe, expect, it } from 'vitest';
import { contentDisposition, sanitiseFileName, sniffType } from './attachment-files.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('attachment files', () => {
  it('knows a file by its bytes, not its name', () => {
    expect(sniffType(PNG)?.contentType).toBe('image/png');
    expect(sniffType(Buffer.from('%PDF-1.7\n'))?.contentType).toBe('application/pdf');
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.contentType).toBe('image/jpeg');
    expect(sniffType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))?.contentType).toBe('image/webp');
    expect(sniffType(Buffer.from('MZ\x90\0\x03'))).toBeNull();
    expect(sniffType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });

  it('keeps no directory, control or reserved character, and names the real extension', () => {
    const png = sniffType(PNG)!;
    expect(sanitiseFileName('../../etc/现场照片.png', png)).toBe('现场照片.png');
    expect(sanitiseFileName('a\u0000b\r\n<c>.PNG', png)).toBe('a_b___c_.PNG');
    expect(sanitiseFileName('setup.exe', png)).toBe('setup.exe.png');
    expect(sanitiseFileName('', png)).toBe('attachment.png');
    expect(sanitiseFileName('.hidden', png)).toBe('hidden.png');
  });

  it('offers a UTF-8 name per RFC 5987 with an ASCII fallback', () => {
    expect(contentDisposition('attachment', '违规案件_20261205.xlsx')).toBe(
      `attachment; filename="_____20261205.xlsx"; filename*=UTF-8''%E8%BF%9D%E8%A7%84%E6%A1%88%E4%BB%B6_20261205.xlsx`,
    );
    expect(contentDisposition('inline', `a"b'(c).pdf`)).toBe(`inline; filename="a_b'(c).pdf"; filename*=UTF-8''a%22b%27%28c%29.pdf`);
  });
});
