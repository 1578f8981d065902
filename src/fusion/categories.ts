import type { CategoryTranslationRecord } from '../sources';

/** The catalog's category names with their English translations, both ways. */
export class CategoryDictionary {
  private readonly englishByName = new Map<string, string>();
  private readonly namesByEnglish = new Map<string, string[]>();

  constructor(translations: readonly CategoryTranslationRecord[]) {
    for (const row of translations) {
      this.englishByName.set(row.categoryName, row.categoryNameEnglish);
      const names = this.namesByEnglish.get(row.categoryNameEnglish) ?? [];
      names.push(row.categoryName);
      this.namesByEnglish.set(row.categoryNameEnglish, names);
    }
  }

  english(rawName: string): string | undefined {
    return this.englishByName.get(rawName);
  }

  /** The raw names a filter value stands for: itself (a catalog name) plus any whose English name it is. */
  rawNamesFor(filter: string): string[] {
    return [...new Set([filter, ...(this.namesByEnglish.get(filter) ?? [])])];
  }
}
