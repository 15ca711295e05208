import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Field encryption for sensitive personal information (PIPL): AES-256-GCM per value, plus an HMAC-SHA256
 * blind index for exact lookup and de-duplication without decrypting. Both keys derive (HKDF) from one
 * data key: WUSHE_DATA_KEY (base64 or hex of 32 bytes), or a key generated once into the data folder
 * with owner-only permissions.
 */
export interface FieldCrypto {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  blindIndex(plain: string, purpose: string): string;
  /** AES-256-GCM of bytes (uploads kept while a background import runs): iv (12) ‖ tag (16) ‖ body. */
  encryptBytes(plain: Buffer): Buffer;
  decryptBytes(sealed: Buffer): Buffer;
}

const VERSION = 'v1';

function parseKey(raw: string): Buffer {
  const s = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(s) ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64');
  if (key.length !== 32) throw new Error('WUSHE_DATA_KEY must be 32 bytes, given as 64 hex characters or base64');
  return key;
}

/** The data key: from the environment, else from (or newly into) `<dataDir>/keys/data.key`. */
export function loadDataKey(opts: { envKey?: string; dataDir?: string }): Buffer {
  if (opts.envKey) return parseKey(opts.envKey);
  if (!opts.dataDir || opts.dataDir.startsWith('memory://')) return randomBytes(32);
  const dir = path.join(opts.dataDir, 'keys');
  const file = path.join(dir, 'data.key');
  if (fs.existsSync(file)) return parseKey(fs.readFileSync(file, 'utf8'));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
  return key;
}

export function createFieldCrypto(dataKey: Buffer): FieldCrypto {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32));
  const encKey = derive('wushe field encryption');
  const indexKey = derive('wushe blind index');
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
    },
    decrypt(sealed) {
      const [v, iv, tag, body] = sealed.split(':');
      if (v !== VERSION || !iv || !tag || body === undefined) throw new Error('unknown ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    encryptBytes(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptBytes(sealed) {
      if (sealed.length < 28) throw new Error('unknown ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', encKey, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    },
    blindIndex(plain, purpose) {
      return createHmac('sha256', indexKey).update(`${purpose}\u0000${plain}`).digest('base64url');
    },
  };
}
