/** Product.boughtTogether's cost: its default weight (an in-memory look-up) plus its selection, times `first` (default 5). */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import { DEFAULT_FIELD_WEIGHTS } from '../../../src/config/limits-config';
import { operationCost } from '../../../src/security/limits';

const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8'));
const cost = (query: string) => operationCost(schema, parse(query), {}, undefined, { assumedListSize: 10, fieldWeights: DEFAULT_FIELD_WEIGHTS });

test('weighs 5 per item, times first', () => {
  expect(DEFAULT_FIELD_WEIGHTS['Product.boughtTogether']).toBe(5);
  // product 1 + (boughtTogether 5 + support 1) × first
  expect(cost('{ product(id: "x") { boughtTogether(first: 10) { support } } }')).toBe(1 + (5 + 1) * 10);
  expect(cost('{ product(id: "x") { boughtTogether { support } } }')).toBe(1 + (5 + 1) * 5);
});
