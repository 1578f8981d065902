import { ANONYMOUS, type Principal } from '../../security';
import { exchangeOf } from '../http/http-plugin';

/** The caller of an Apollo request, whichever server runs it (every context value is linked to its HTTP exchange). */
export function principalOfContext(context: unknown): Principal {
  return exchangeOf(context)?.principal ?? ANONYMOUS;
}
