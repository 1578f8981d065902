/**
 * The operator side: `keys issue|revoke|list` and `token` (the built-in CLI commands, called in process)
 * against a throwaway data folder: the key store holds hashes only, a generated dev secret is created
 * once and reused, and a printed token verifies with the same configuration.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keysCommand } from '../../src/cli/keys.command';
import { runCli } from '../../src/cli/run-cli';
import { tokenCommand } from '../../src/cli/token.command';
import { defaultSecurityConfig } from '../../src/config/security-config';
import { ApiKeyStore, createAuthenticator, generatedSecret } from '../../src/security';
import { secretOf } from './security-fixtures';

let dataDir: string;
let output: string[];
let errors: string[];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-keys-'));
  output = [];
  errors = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
  jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const SELLER = '0123456789abcdef0123456789abcdef';

test('keys issue prints the key once and stores only its hash; revoke and list', async () => {
  expect(await keysCommand(['issue', '--seller', SELLER, '--name', 'acme', '--data', dataDir])).toBe(0);
  const key = output.pop()!;
  expect(key).toMatch(/^fgk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  const file = path.join(dataDir, 'secrets', 'api-keys.json');
  const stored = fs.readFileSync(file, 'utf8');
  expect(stored).not.toContain(secretOf(key));
  expect(fs.statSync(file).mode & 0o077).toBe(0);

  const authenticator = createAuthenticator(defaultSecurityConfig(dataDir));
  const principal = await authenticator.authenticate({ 'x-api-key': key });
  expect(principal).toMatchObject({ role: 'partner', sellerId: SELLER, via: 'api-key' });

  const keyId = /^fgk_([0-9a-f]{16})_/.exec(key)![1];
  expect(await keysCommand(['list', '--data', dataDir])).toBe(0);
  expect(output.pop()).toMatch(new RegExp(`^${keyId}\\t${SELLER}\\tactive\\t`));
  expect(await keysCommand(['revoke', keyId, '--data', dataDir])).toBe(0);
  await expect(authenticator.authenticate({ 'x-api-key': key })).rejects.toThrow(/revoked/);
  expect(await keysCommand(['list', '--data', dataDir])).toBe(0);
  expect(output.pop()).toMatch(/\trevoked /);
  expect(await keysCommand(['revoke', 'ffffffffffffffff', '--data', dataDir])).toBe(1);
});

test('bad usage is refused with exit code 2, a malformed seller id with an error', async () => {
  expect(await runCli(['keys', 'issue', '--data', dataDir])).toBe(2);
  expect(await runCli(['keys', 'frobnicate'])).toBe(2);
  expect(() => new ApiKeyStore(path.join(dataDir, 'k.json')).issue('not-a-seller', 'x')).toThrow(/32 hexadecimal/);
  expect(await runCli(['token', '--role', 'root', '--data', dataDir])).toBe(2);
  expect(await runCli(['token', '--role', 'customer', '--data', dataDir])).toBe(2);
  expect(await runCli(['token', '--role', 'partner', '--data', dataDir])).toBe(2);
  expect(await runCli(['token', '--role', 'admin', '--ttl=-5', '--data', dataDir])).toBe(2);
  expect(await runCli(['token', '--role', 'admin', '--ttl', 'soon', '--data', dataDir])).toBe(2);
});

test('token prints a token the same configuration accepts, signed with the dev secret generated once', async () => {
  expect(await tokenCommand(['--role', 'bi', '--scope', 'pii:read', '--data', dataDir])).toBe(0);
  const token = output.pop()!;
  const secretFile = path.join(dataDir, 'secrets', 'jwt-dev.key');
  const secret = fs.readFileSync(secretFile, 'utf8');
  expect(secret.length).toBeGreaterThanOrEqual(43);
  expect(generatedSecret(path.join(dataDir, 'secrets'), 'jwt-dev')).toBe(secret);
  const principal = await createAuthenticator(defaultSecurityConfig(dataDir)).authenticate({ authorization: `Bearer ${token}` });
  expect(principal).toMatchObject({ role: 'bi', subject: 'bi-cli', via: 'jwt' });
  expect([...principal.scopes]).toEqual(['pii:read']);
  // Another data folder has another secret: the token means nothing there.
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-keys-'));
  try {
    await expect(createAuthenticator(defaultSecurityConfig(elsewhere)).authenticate({ authorization: `Bearer ${token}` })).rejects.toThrow(/signature/);
  } finally {
    fs.rmSync(elsewhere, { recursive: true, force: true });
  }
});
