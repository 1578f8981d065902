/**
 * shared/csv.ts: the records and their physical end lines equal what csv-parse (an independent
 * parser, with the seed's former options) answers, for hand-made quirks (quotes, "" escapes, commas
 * and line breaks inside quotes, CRLF, CR, BOM, empty lines, no final line end) pushed whole and in
 * every split into two chunks (a record, a quote pair or a CRLF cut by a chunk boundary), and for
 * the dataset's own files. Malformed quoting is an error naming its line.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { CsvParser, CsvSyntaxError, parseCsv } from '../../src/shared/csv';
import { configFromEnv } from '../../src/shared';

function oracle(text: string): { fields: string[]; line: number }[] {
  const records = parse(text, { bom: true, skip_empty_lines: true, info: true, relax_column_count: true }) as { record: string[]; info: { lines: number } }[];
  return records.map(({ record, info }) => ({ fields: record, line: info.lines }));
}

function inChunks(text: string, cuts: number[]): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const parser = new CsvParser();
  const sink = (fields: string[], line: number) => out.push({ fields, line });
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    parser.push(text.slice(from, cut), sink);
    from = cut;
  }
  parser.end(sink);
  return out;
}

const QUIRKS: Record<string, string> = {
  plain: 'a,b,c\n1,2,3\n4,5,6\n',
  'quoted with commas and doubled quotes': '"id","text"\n"1","say ""hi"", then go"\n"2",""\n',
  'line breaks inside quotes': 'id,message\n1,"first line\nsecond line"\n2,"a\nb\n\nc"\n3,last\n',
  'CRLF line ends and a BOM': '\ufeffname,value\r\nx,1\r\ny,2\r\n',
  'CR line ends': 'a,b\r1,2\r3,4',
  'empty lines and empty fields': 'a,b,c\n\n,,\n1,,3\n\n\n',
  'no final line end': 'a,b\n1,2',
  'a ragged row is still a record': 'a,b\n1,2,3\n4\n',
};

describe('shared/csv', () => {
  it.each(Object.entries(QUIRKS))('%s: the same records and lines as csv-parse, whole and cut at every position', (_, text) => {
    const expected = oracle(text);
    expect(expected.length).toBeGreaterThan(1);
    expect(parseCsv(text)).toEqual(expected);
    for (let cut = 0; cut <= text.length; cut++) expect(inChunks(text, [cut])).toEqual(expected);
  });

  // csv-parse counts a CRLF inside quotes as two lines; an editor, and this reader, as one.
  it('a CRLF inside quotes is one physical line', () => {
    expect(parseCsv('id,text\r\n1,"a\r\nb"\r\n2,c\r\n')).toEqual([
      { fields: ['id', 'text'], line: 1 },
      { fields: ['1', 'a\r\nb'], line: 3 },
      { fields: ['2', 'c'], line: 4 },
    ]);
  });

  it('malformed quoting is a CsvSyntaxError naming its line', () => {
    const cases: [string, number][] = [
      ['a,b\n1,2\nx"y,3\n', 3],
      ['a,b\n1,"2"x\n', 2],
      ['a,b\n1,2\n3,"open\nstill open\n', 3],
    ];
    for (const [text, line] of cases) {
      let error: unknown;
      try {
        parseCsv(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect((error as CsvSyntaxError).line).toBe(line);
    }
  });

  it("the dataset's smaller files: the same records and lines as csv-parse, in 64 KiB chunks", () => {
    const dir = configFromEnv().datasetDir;
    // The smaller files (csv-parse is slow inside Jest); the seed's tests cover the others through the seed.
    const files = ['DERIVED_olist_geolocation_last_row_per_zip_prefix', 'olist_products_dataset', 'olist_sellers_dataset', 'product_category_name_translation']
      .map((base) => fs.readdirSync(dir).find((name) => name.startsWith(`${base}.csv`)))
      .filter((name): name is string => name !== undefined);
    expect(files.length).toBe(4);
    for (const name of files) {
      const raw = fs.readFileSync(path.join(dir, name));
      const text = (name.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('utf8');
      const cuts = Array.from({ length: Math.floor(text.length / 65_536) }, (_, i) => (i + 1) * 65_536);
      const ours = inChunks(text, cuts);
      const expected = oracle(text);
      expect(ours.length).toBe(expected.length);
      expect(ours).toEqual(expected);
    }
  }, 120_000);
});
