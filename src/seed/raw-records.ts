import { DatasetError } from './dataset-files';
import type { CsvRow } from './csv-rows';

/**
 * Turns CSV text into the column values a source system stores: numbers for numeric columns,
 * NULL for empty optional cells, everything else untouched (no cleaning here: that is fusion's job).
 * A value a system could not store (text in a numeric column, an empty required cell) stops the seed.
 */
export class RawRecordReader {
  constructor(
    private readonly file: string,
    private readonly row: CsvRow,
    private readonly line: number,
  ) {}

  text(column: string): string {
    const value = this.row[column];
    if (value === undefined || value === '') this.fail(column, 'is empty');
    return value;
  }

  optionalText(column: string): string | null {
    const value = this.row[column];
    return value === undefined || value === '' ? null : value;
  }

  integer(column: string): number {
    const value = this.optionalInteger(column);
    if (value === null) this.fail(column, 'is empty');
    return value;
  }

  optionalInteger(column: string): number | null {
    const value = this.optionalText(column);
    if (value === null) return null;
    if (!/^-?\d+$/.test(value)) this.fail(column, `is not an integer: "${value}"`);
    return Number(value);
  }

  decimal(column: string): number {
    const value = this.text(column);
    if (!/^-?\d+(\.\d+)?$/.test(value)) this.fail(column, `is not a decimal number: "${value}"`);
    return Number(value);
  }

  private fail(column: string, problem: string): never {
    throw new DatasetError(this.file, `malformed at line ${this.line}: column ${column} ${problem}`);
  }
}
