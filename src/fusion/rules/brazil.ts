/** The 27 federative units of Brazil: code → name without accents, lower case. */
export const BRAZILIAN_STATES: Readonly<Record<string, string>> = {
  AC: 'acre',
  AL: 'alagoas',
  AP: 'amapa',
  AM: 'amazonas',
  BA: 'bahia',
  CE: 'ceara',
  DF: 'distrito federal',
  ES: 'espirito santo',
  GO: 'goias',
  MA: 'maranhao',
  MT: 'mato grosso',
  MS: 'mato grosso do sul',
  MG: 'minas gerais',
  PA: 'para',
  PB: 'paraiba',
  PR: 'parana',
  PE: 'pernambuco',
  PI: 'piaui',
  RJ: 'rio de janeiro',
  RN: 'rio grande do norte',
  RS: 'rio grande do sul',
  RO: 'rondonia',
  RR: 'roraima',
  SC: 'santa catarina',
  SP: 'sao paulo',
  SE: 'sergipe',
  TO: 'tocantins',
};

const STATE_NAMES = new Set(Object.values(BRAZILIAN_STATES));

/** True for a state code ("sp") or a state name ("sao paulo"), in any case, or the country. */
export function isStateOrCountry(text: string): boolean {
  const value = text.trim().toLowerCase();
  return value.toUpperCase() in BRAZILIAN_STATES || STATE_NAMES.has(value) || value === 'brasil' || value === 'brazil';
}

export function stripAccents(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}
