import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode, parentRegionCode, regionLevelOfCode } from './network.js';
import { isStrongPassword, passwordClasses } from './password.js';
import { fullPinyin, pinyinInitials } from './pinyin.js';
import { grantableRoles, PERMISSIONS, ROLE_PERMISSIONS, ROLES } from './roles.js';

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('unified social credit code (GB 32100)', () => {
  it('accepts a published code', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
  });

  it('a code with its computed check character always validates, any other check character never does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHARS), { minLength: 17, maxLength: 17 }), fc.constantFrom(...CHARS), (body, other) => {
        const first17 = body.join('');
        const check = creditCodeCheckChar(first17) as string;
        expect(isValidCreditCode(first17 + check)).toBe(true);
        if (other !== check) expect(isValidCreditCode(first17 + other)).toBe(false);
      }),
    );
  });

  it('rejects wrong lengths and letters outside the alphabet (I, O, S, V, Z)', () => {
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100I43')).toBe(false);
  });
});

describe('region codes', () => {
  it('derive level and parent from the code length', () => {
    expect(regionLevelOfCode('50')).toBe(1);
    expect(regionLevelOfCode('500103')).toBe(3);
    expect(regionLevelOfCode('500103001013')).toBe(5);
    expect(regionLevelOfCode('5001030')).toBeNull();
    expect(parentRegionCode('500103001013')).toBe('500103001');
    expect(parentRegionCode('500103001')).toBe('500103');
    expect(parentRegionCode('50')).toBeNull();
  });
});

describe('pinyin', () => {
  it('gives the initials workers type', () => {
    expect(pinyinInitials('七星岗街道')).toBe('qxgjd');
    expect(pinyinInitials('重庆市')).toBe('cqs');
    expect(fullPinyin('兴隆街')).toBe('xinglongjie');
  });
});

describe('password policy', () => {
  it('needs 8 characters from 3 of 4 classes', () => {
    expect(isStrongPassword('abcdefgh')).toBe(false);
    expect(isStrongPassword('abcdEFGH')).toBe(false);
    expect(isStrongPassword('abcdEF12')).toBe(true);
    expect(isStrongPassword('ab#EF1')).toBe(false);
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 40 }), (pw) => {
        expect(isStrongPassword(pw)).toBe(pw.length >= 8 && pw.length <= 128 && passwordClasses(pw) >= 3);
      }),
    );
  });
});

describe('permission matrix', () => {
  it('only grants known permissions, and nobody can grant more than they hold', () => {
    for (const role of ROLES) {
      for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
      for (const granted of grantableRoles(role)) {
        for (const p of ROLE_PERMISSIONS[granted]) expect(ROLE_PERMISSIONS[role]).toContain(p);
      }
    }
    expect(grantableRoles('station_head')).not.toContain('system_admin');
    expect(ROLE_PERMISSIONS.auditor.some((p) => p.endsWith('.write'))).toBe(false);
  });
});

describe('docs/PERMISSIONS.md', () => {
  it('is the permission matrix as it is in code', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { permissionMatrixMarkdown } = await import('./permissions-doc.js');
    const file = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/PERMISSIONS.md'), 'utf8');
    expect(file).toBe(permissionMatrixMarkdown());
  });
});
