import { isLocalTimestamp, localTimestampToIso } from '../timestamps';
import type { CleaningRule } from './rule';

/** Source timestamps (local wall-clock text) to ISO-8601 with the America/Sao_Paulo offset of that instant. */
export const timestampRule: CleaningRule<string | null | undefined, string | null> = {
  name: 'timestamp.iso',
  description:
    'Local "YYYY-MM-DD HH:MM:SS" text becomes ISO-8601 with the America/Sao_Paulo offset in force at that ' +
    'instant (-02:00 under the daylight saving Brazil had until 2019); empty stays null; other text is flagged and null.',
  examples: [
    { input: '2017-10-02 10:56:33', output: '2017-10-02T10:56:33-03:00' },
    { input: '2018-01-15 08:00:00', output: '2018-01-15T08:00:00-02:00' },
    { input: '', output: 'null' },
  ],
  apply(raw) {
    if (raw === null || raw === undefined || raw === '') return { value: null, changed: false };
    if (!isLocalTimestamp(raw)) return { value: null, changed: true, flag: `"${raw}" is not a timestamp` };
    return { value: localTimestampToIso(raw), changed: true };
  },
};
