import { BRAZILIAN_STATES } from '../../fusion';
import { badUserInput } from '../../shared';

/**
 * A state argument as the caller typed it ("sp", " SP ") → its code; null/undefined → undefined (no filter).
 * Anything but one of Brazil's 27 codes is BAD_USER_INPUT, so a typo is never answered with an empty page.
 */
export function stateCodeArgument(state: string | null | undefined, argumentName = 'state'): string | undefined {
  if (state === null || state === undefined) return undefined;
  const code = state.trim().toUpperCase();
  if (!Object.prototype.hasOwnProperty.call(BRAZILIAN_STATES, code)) {
    throw badUserInput(`"${argumentName}" must be one of Brazil's state codes (${Object.keys(BRAZILIAN_STATES).join(', ')}), got "${state}"`, argumentName);
  }
  return code;
}
