import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isOlistId } from '../shared';

/**
 * Partner API keys. A key reads `fgk_<keyId>_<secret>`; the store (a JSON file) keeps only the id, the
 * seller it is bound to and sha256(secret), so a leaked store grants nothing. The plaintext is shown
 * once, when `keys issue` creates it. Revocation takes effect at the next request (the file is re-read
 * when it changes).
 */
export interface StoredApiKey {
  id: string;
  name: string;
  sellerId: string;
  /** sha256 of the secret part, hex. */
  hash: string;
  createdAt: string;
  revokedAt?: string;
}

interface KeyFile {
  keys: StoredApiKey[];
}

const KEY_FORMAT = /^fgk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class ApiKeyStore {
  private cached?: { mtimeMs: number; size: number; keys: Map<string, StoredApiKey> };

  constructor(readonly file: string) {}

  /** The key's record when the key is well formed, known, not revoked and its secret matches. */
  verify(presented: string): StoredApiKey | undefined {
    const match = KEY_FORMAT.exec(presented);
    if (!match) return undefined;
    const stored = this.current().get(match[1]);
    if (!stored || stored.revokedAt) return undefined;
    const expected = Buffer.from(stored.hash, 'hex');
    const actual = sha256(match[2]);
    return expected.length === actual.length && timingSafeEqual(expected, actual) ? stored : undefined;
  }

  list(): StoredApiKey[] {
    return [...this.current().values()];
  }

  /** Creates a key bound to a seller; returns its record and the plaintext (never stored). */
  issue(sellerId: string, name: string): { key: string; record: StoredApiKey } {
    if (!isOlistId(sellerId)) throw new Error(`seller id must be 32 hexadecimal digits, got "${sellerId}"`);
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const record: StoredApiKey = { id, name, sellerId, hash: sha256(secret).toString('hex'), createdAt: new Date().toISOString() };
    this.write([...this.list(), record]);
    return { key: `fgk_${id}_${secret}`, record };
  }

  /** Marks a key revoked (kept for the audit trail); false when no such key. */
  revoke(keyId: string): boolean {
    const keys = this.list();
    const found = keys.find((key) => key.id === keyId);
    if (!found) return false;
    found.revokedAt ??= new Date().toISOString();
    this.write(keys);
    return true;
  }

  private current(): Map<string, StoredApiKey> {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    if (!this.cached || this.cached.mtimeMs !== stat.mtimeMs || this.cached.size !== stat.size) {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as KeyFile;
      this.cached = { mtimeMs: stat.mtimeMs, size: stat.size, keys: new Map(parsed.keys.map((key) => [key.id, key])) };
    }
    return this.cached.keys;
  }

  private write(keys: StoredApiKey[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify({ keys } satisfies KeyFile, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, this.file);
    this.cached = undefined;
  }
}
