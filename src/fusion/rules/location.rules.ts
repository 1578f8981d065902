import { BRAZILIAN_STATES, isStateOrCountry, stripAccents } from './brazil';
import type { CleaningRule } from './rule';

/** City names: no accents, lower case, single spaces, one apostrophe form, no state or country tail. */
export const cityNameRule: CleaningRule<string, string | null, { state: string | null }> = {
  name: 'city.normalise',
  description:
    'Lower-cases, strips accents, unifies apostrophes and spaces, and drops a trailing state or country ' +
    '("/sp", " - sp", ", rio grande do sul, brasil"). A name with digits or "@", or that is only a state code, is invalid.',
  examples: [
    { input: 'São Paulo', output: 'sao paulo' },
    { input: 'sao paulo - sp', output: 'sao paulo' },
    { input: 'novo hamburgo, rio grande do sul, brasil', output: 'novo hamburgo' },
    { input: 'santa barbara d´oeste', output: "santa barbara d'oeste" },
    { input: 'vendas@creditparts.com.br', output: 'null (flagged city.invalid)' },
  ],
  apply(raw, context) {
    let value = stripAccents(raw.replace(/[´`’‘]/g, "'"))
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim();
    value = value.replace(/\s*\([^)]*\)\s*$/, '');
    const parts = value.split(/\s*(?:\/|\\|,| - )\s*/).filter((part) => part.length > 0);
    while (parts.length > 1 && isStateOrCountry(parts[parts.length - 1])) parts.pop();
    value = parts.join(' ');
    const state = context.state?.toLowerCase();
    if (state && value.endsWith(`-${state}`)) value = value.slice(0, -3);
    if (value === '' || /[\d@]/.test(value) || value.toUpperCase() in BRAZILIAN_STATES) {
      return { value: null, changed: true, flag: `"${raw}" is not a city name` };
    }
    return { value, changed: value !== raw };
  },
};

/** State codes: two upper-case letters naming one of Brazil's 27 federative units. */
export const stateCodeRule: CleaningRule<string, string | null> = {
  name: 'state.normalise',
  description: 'Trims and upper-cases the state code; anything that is not one of the 27 codes is invalid.',
  examples: [
    { input: ' sp', output: 'SP' },
    { input: 'XX', output: 'null (flagged state.invalid)' },
  ],
  apply(raw) {
    const value = raw.trim().toUpperCase();
    if (!(value in BRAZILIAN_STATES)) return { value: null, changed: true, flag: `"${raw}" is not a Brazilian state code` };
    return { value, changed: value !== raw };
  },
};

/** Zip prefixes: five digits, leading zeros restored (systems that stored them as numbers lost them). */
export const zipPrefixRule: CleaningRule<string, string | null> = {
  name: 'zip.normalise',
  description: 'Keeps the digits and left-pads to 5 ("1037" → "01037"); more than 5 digits or none is invalid.',
  examples: [
    { input: '1037', output: '01037' },
    { input: '01037', output: '01037' },
    { input: 'abc', output: 'null (flagged zip.invalid)' },
  ],
  apply(raw) {
    const digits = raw.replace(/\D/g, '');
    if (digits.length === 0 || digits.length > 5) return { value: null, changed: true, flag: `"${raw}" is not a zip prefix` };
    const value = digits.padStart(5, '0');
    return { value, changed: value !== raw };
  },
};
