/**
 * Resident identity numbers (GB 11643-1999): 6-digit region code, 8-digit birth date, 3-digit sequence
 * (odd = male, even = female) and an ISO 7064 MOD 11-2 check character (0-9 or X). 15-digit numbers
 * issued before 1999 (2-digit year, no check character) are converted to 18 digits.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Province-level codes that appear as the first two digits of an ID number. */
export const ID_PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

export type IdNumberError = 'format' | 'region' | 'birth_date' | 'checksum';

export interface IdNumberInfo {
  /** The normalised 18-character number (upper-case X). */
  number: string;
  regionCode: string;
  birthDate: string;
  sex: 'male' | 'female';
}

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

function validDate(y: number, m: number, d: number, today: Date): boolean {
  if (y < 1890 || m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return false;
  return dt.getTime() <= today.getTime();
}

/** Converts a 15-digit legacy number to 18 digits (century 19, computed check character). */
export function upgradeIdNumber15(n15: string): string {
  const first17 = `${n15.slice(0, 6)}19${n15.slice(6)}`;
  return first17 + idCheckChar(first17);
}

/**
 * Parses and checks an ID number. Returns the normalised number with birth date and sex, or the first
 * rule it breaks.
 */
export function parseIdNumber(
  input: string,
  today: Date = new Date(),
): { ok: true; info: IdNumberInfo } | { ok: false; error: IdNumberError } {
  let s = input.trim().toUpperCase();
  if (/^\d{15}$/.test(s)) s = upgradeIdNumber15(s);
  else if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, error: 'format' };
  if (!ID_PROVINCE_CODES.has(s.slice(0, 2))) return { ok: false, error: 'region' };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (!validDate(y, m, d, today)) return { ok: false, error: 'birth_date' };
  if (idCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, error: 'checksum' };
  return {
    ok: true,
    info: {
      number: s,
      regionCode: s.slice(0, 6),
      birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`,
      sex: Number(s[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}

export function isValidIdNumber(input: string): boolean {
  return parseIdNumber(input).ok;
}

/** Masks an ID number for lists: the first 4 and the last 4 characters stay (5001**********123X). */
export function maskIdNumber(n: string): string {
  if (n.length <= 8) return '*'.repeat(n.length);
  return n.slice(0, 4) + '*'.repeat(n.length - 8) + n.slice(-4);
}

/** Masks a phone number: 138****5678; short numbers keep only their last 2 digits. */
export function maskPhone(p: string): string {
  const digits = p.replace(/\s/g, '');
  if (digits.length >= 11) return digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(-4);
  if (digits.length <= 2) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 2) + digits.slice(-2);
}
