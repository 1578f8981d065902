import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A secret generated once into `<secretsDir>/<name>.key` (32 random bytes, base64url, mode 0600) and
 * read from there afterwards: the dev default when the configuration names none. Created atomically
 * (write a temporary file, hard-link it into place) so concurrent processes all read the same value.
 */
export function generatedSecret(secretsDir: string, name: string): string {
  const file = path.join(secretsDir, `${name}.key`);
  const existing = readSecret(file);
  if (existing) return existing;
  fs.mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(temporary, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  const created = readSecret(file);
  if (!created) throw new Error(`${file} is empty`);
  return created;
}

function readSecret(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
