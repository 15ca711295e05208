import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idCheckChar, isValidIdNumber, maskIdNumber, maskPhone, parseIdNumber, upgradeIdNumber15 } from './id-number.js';

const TODAY = new Date('2026-11-23T00:00:00Z');

/** An arbitrary valid 18-digit number: province code, 4 digits, a real date, 3 digits, the check character. */
const validId = fc
  .record({
    province: fc.constantFrom('11', '31', '44', '50', '51', '65'),
    county: fc.integer({ min: 0, max: 9999 }),
    date: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-22T00:00:00Z'), noInvalidDate: true }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ province, county, date, seq }) => {
    const ymd = date.toISOString().slice(0, 10).replace(/-/g, '');
    const first17 = `${province}${String(county).padStart(4, '0')}${ymd}${String(seq).padStart(3, '0')}`;
    return first17 + idCheckChar(first17);
  });

describe('GB 11643 resident ID numbers', () => {
  it('accepts a known valid number and derives birth date and sex', () => {
    const r = parseIdNumber('11010519491231002X', TODAY);
    expect(r).toEqual({ ok: true, info: { number: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'female' } });
  });

  it('every generated valid number parses, with the birth date and sex it encodes', () => {
    fc.assert(
      fc.property(validId, (id) => {
        const r = parseIdNumber(id, TODAY);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.info.birthDate.replace(/-/g, '')).toBe(id.slice(6, 14));
          expect(r.info.sex).toBe(Number(id[16]) % 2 ? 'male' : 'female');
        }
      }),
    );
  });

  it('changing any one digit breaks the check (MOD 11-2 catches every single substitution)', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (id, pos, delta) => {
        const digit = (Number(id[pos]) + delta) % 10;
        const changed = id.slice(0, pos) + digit + id.slice(pos + 1);
        expect(isValidIdNumber(changed)).toBe(false);
      }),
    );
  });

  it('rejects bad formats, regions and dates with the rule broken', () => {
    expect(parseIdNumber('1234', TODAY)).toEqual({ ok: false, error: 'format' });
    expect(parseIdNumber('99010519491231002X', TODAY)).toEqual({ ok: false, error: 'region' });
    const feb30 = '11010519490230001';
    expect(parseIdNumber(feb30 + idCheckChar(feb30), TODAY)).toEqual({ ok: false, error: 'birth_date' });
    const future = '11010520300101001';
    expect(parseIdNumber(future + idCheckChar(future), TODAY)).toEqual({ ok: false, error: 'birth_date' });
    expect(parseIdNumber('110105194912310021', TODAY)).toEqual({ ok: false, error: 'checksum' });
  });

  it('converts 15-digit legacy numbers', () => {
    expect(upgradeIdNumber15('110105491231002')).toBe('11010519491231002X');
    const r = parseIdNumber('110105491231002', TODAY);
    expect(r.ok && r.info.number).toBe('11010519491231002X');
  });

  it('masks for lists', () => {
    expect(maskIdNumber('50010319800101123X')).toBe('5001**********123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    fc.assert(
      fc.property(validId, (id) => {
        const m = maskIdNumber(id);
        expect(m).toHaveLength(18);
        expect(m.slice(4, 14)).toBe('*'.repeat(10));
      }),
    );
  });
});
