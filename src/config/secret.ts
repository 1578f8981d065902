import { z } from 'zod';

/** A value written in the configuration file, or `{ "env": "NAME" }`: taken from the environment (secrets never sit in the file). */
export const secretSchema = z.union([z.string().min(1), z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name') }).strict()]);
export type SecretInput = z.infer<typeof secretSchema>;

/** The value of a secret; an unset variable is recorded in `problems` under `key`, and answers ''. */
export function resolveSecret(key: string, input: SecretInput, env: NodeJS.ProcessEnv, problems: string[]): string {
  if (typeof input === 'string') return input;
  const found = env[input.env];
  if (found === undefined || found === '') {
    problems.push(`  ${key}: environment variable ${input.env} is not set`);
    return '';
  }
  return found;
}
