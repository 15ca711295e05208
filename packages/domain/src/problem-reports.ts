/**
 * Problem reports (随手拍): a volunteer (or a worker on the round) photographs a problem in the
 * neighbourhood, names the place and what is wrong, and the report becomes a ticket of the unit that serves
 * that community. Categories are the tickets' own, so the report is counted where tickets are.
 */
export const PROBLEM_REPORT_LIMITS = {
  /** Bytes of one photo (the phone's camera output, not re-encoded). */
  photoMaxBytes: 10 * 1024 * 1024,
  descriptionMax: 2000,
  placeMax: 200,
} as const;

/** Image types a photo may be, recognised by their first bytes (never by the name or the declared type). */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** The image type of a file from its first bytes, or null when it is none of PHOTO_TYPES. */
export function sniffPhotoType(head: Uint8Array): PhotoType | null {
  const at = (i: number) => head[i] ?? -1;
  const ascii = (from: number, to: number) => String.fromCharCode(...Array.from(head.subarray(from, to)));
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (at(0) === 0x89 && ascii(1, 4) === 'PNG' && at(4) === 0x0d && at(5) === 0x0a && at(6) === 0x1a && at(7) === 0x0a) return 'image/png';
  if (head.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  // ISO base media: 'ftyp' at 4, then a HEIF brand (phones save HEIC).
  if (head.length >= 12 && ascii(4, 8) === 'ftyp' && ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(ascii(8, 12)))
    return 'image/heic';
  return null;
}
