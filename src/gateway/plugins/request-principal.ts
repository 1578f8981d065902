import { ANONYMOUS, type Principal } from '../../security';

/**
 * The caller of an Apollo request, whichever server runs it: a schema server's context carries
 * `principal`, the router's context carries the HTTP `exchange`.
 */
export function principalOfContext(context: unknown): Principal {
  const value = context as { principal?: Principal; exchange?: { principal?: Principal } } | undefined;
  return value?.principal ?? value?.exchange?.principal ?? ANONYMOUS;
}
