import type { CleaningRule } from './rule';

export interface MeasureContext {
  unit: 'g' | 'cm';
  /** Largest believable value: the marketplace's carriers take nothing heavier or longer. */
  max: number;
}

/** Product weights and dimensions: present, positive and believable, in grams or centimetres. */
export const productMeasureRule: CleaningRule<number | null, number | null, MeasureContext> = {
  name: 'product.measure',
  description:
    'Weight (g) and length, height, width (cm) must be present, positive and at most 100 kg / 300 cm; ' +
    'a missing, zero or impossible value becomes null and is flagged.',
  examples: [
    { input: 'weight 225', output: '225 (g)' },
    { input: 'weight 0', output: 'null (flagged: zero)' },
    { input: 'length empty', output: 'null (flagged: missing)' },
  ],
  apply(raw, { unit, max }) {
    if (raw === null) return { value: null, changed: false, flag: 'missing' };
    if (raw <= 0) return { value: null, changed: true, flag: `${raw} ${unit} is not a positive measure` };
    if (raw > max) return { value: null, changed: true, flag: `${raw} ${unit} exceeds ${max} ${unit}` };
    return { value: raw, changed: false };
  },
};

export const MEASURE_LIMITS = {
  weightGrams: { unit: 'g', max: 100_000 },
  lengthCm: { unit: 'cm', max: 300 },
  heightCm: { unit: 'cm', max: 300 },
  widthCm: { unit: 'cm', max: 300 },
} as const satisfies Record<string, MeasureContext>;

/** Categories: the catalog's Portuguese name with its English translation. */
export const categoryRule: CleaningRule<string | null, { name: string; nameEn: string | null } | null, (raw: string) => string | undefined> = {
  name: 'category.translate',
  description:
    "Translates the catalog's Portuguese category name with the translation table; a product without a " +
    'category, or a category the table lacks, is flagged.',
  examples: [
    { input: 'beleza_saude', output: '{ name: beleza_saude, nameEn: health_beauty }' },
    { input: 'pc_gamer', output: '{ name: pc_gamer, nameEn: null } (flagged: untranslated)' },
    { input: 'empty', output: 'null (flagged: missing)' },
  ],
  apply(raw, translate) {
    if (raw === null || raw.trim() === '') return { value: null, changed: false, flag: 'the product has no category' };
    const nameEn = translate(raw) ?? null;
    return {
      value: { name: raw, nameEn },
      changed: false,
      ...(nameEn === null ? { flag: `category "${raw}" has no English translation` } : {}),
    };
  },
};
