import type { CategoryTranslationRecord } from '../sources';

export interface Category {
  /** The catalog's own (Portuguese) name. */
  name: string;
  /** The English name from the translation table; null when the table has none. */
  nameEn: string | null;
}

/** The catalog's category names with their English translations, both ways. */
export class CategoryDictionary {
  private readonly english = new Map<string, string>();
  private readonly portuguese = new Map<string, string[]>();

  constructor(translations: readonly CategoryTranslationRecord[]) {
    for (const row of translations) {
      this.english.set(row.categoryName, row.categoryNameEnglish);
      const names = this.portuguese.get(row.categoryNameEnglish) ?? [];
      names.push(row.categoryName);
      this.portuguese.set(row.categoryNameEnglish, names);
    }
  }

  category(rawName: string | null): Category | null {
    if (rawName === null || rawName === '') return null;
    return { name: rawName, nameEn: this.english.get(rawName) ?? null };
  }

  /** The raw names a filter value stands for: itself (a catalog name) plus any whose English name it is. */
  rawNamesFor(filter: string): string[] {
    return [...new Set([filter, ...(this.portuguese.get(filter) ?? [])])];
  }
}
