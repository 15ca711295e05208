import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFieldCrypto, loadDataKey } from './crypto.js';

describe('field crypto', () => {
  const c = createFieldCrypto(Buffer.alloc(32, 7));

  it('round-trips any text and never stores it in clear', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (s) => {
        const sealed = c.encrypt(s);
        expect(c.decrypt(sealed)).toBe(s);
        expect(sealed.includes(s) && s.length > 3).toBe(false);
      }),
    );
  });

  it('uses a fresh IV each time but a stable blind index', () => {
    expect(c.encrypt('50010319800101123X')).not.toBe(c.encrypt('50010319800101123X'));
    expect(c.blindIndex('50010319800101123X', 'id')).toBe(c.blindIndex('50010319800101123X', 'id'));
    expect(c.blindIndex('50010319800101123X', 'id')).not.toBe(c.blindIndex('50010319800101123X', 'phone'));
    expect(createFieldCrypto(Buffer.alloc(32, 8)).blindIndex('x', 'id')).not.toBe(c.blindIndex('x', 'id'));
  });

  it('round-trips bytes, refuses tampered or truncated ones', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        const plain = Buffer.from(bytes);
        const sealed = c.encryptBytes(plain);
        expect(c.decryptBytes(sealed).equals(plain)).toBe(true);
        const tampered = Buffer.from(sealed);
        tampered[tampered.length - 1] ^= 1;
        expect(() => c.decryptBytes(tampered)).toThrow();
      }),
    );
    expect(() => c.decryptBytes(Buffer.alloc(10))).toThrow();
  });

  it('detects tampering', () => {
    const sealed = c.encrypt('13812345678');
    const parts = sealed.split(':');
    const body = Buffer.from(parts[3], 'base64');
    body[0] ^= 1;
    parts[3] = body.toString('base64');
    expect(() => c.decrypt(parts.join(':'))).toThrow();
  });

  it('generates the data key once, owner-only, and reads it back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wushe-key-'));
    const k1 = loadDataKey({ dataDir: dir });
    const k2 = loadDataKey({ dataDir: dir });
    expect(k1.equals(k2)).toBe(true);
    expect(fs.statSync(path.join(dir, 'keys/data.key')).mode & 0o777).toBe(0o600);
    expect(loadDataKey({ envKey: 'ab'.repeat(32) }).toString('hex')).toBe('ab'.repeat(32));
    expect(() => loadDataKey({ envKey: 'short' })).toThrow(/32 bytes/);
  });
});
