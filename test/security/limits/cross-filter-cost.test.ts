/** The connections' cross-system filters and sorts cost CROSS_SYSTEM_PREDICATE_COST each, once per connection resolved. */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import { DEFAULT_FIELD_WEIGHTS } from '../../../src/config/limits-config';
import { CROSS_SYSTEM_PREDICATE_COST, operationCost } from '../../../src/security/limits';

const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8'));
const cost = (query: string) => operationCost(schema, parse(query), {}, undefined, { assumedListSize: 10, fieldWeights: DEFAULT_FIELD_WEIGHTS });

test('each predicate another system owns adds the surcharge; a score range counts once; own predicates add nothing', () => {
  const plain = cost('{ orders(first: 10) { totalCount } }');
  expect(cost('{ orders(first: 10, status: DELIVERED, orderBy: { purchasedAt: DESC }) { totalCount } }')).toBe(plain);
  expect(cost('{ orders(first: 10, filter: { customerState: "SP" }) { totalCount } }')).toBe(plain + CROSS_SYSTEM_PREDICATE_COST);
  expect(cost('{ orders(first: 10, filter: { customerState: "SP", category: "x", minReviewScore: 4, maxReviewScore: 5 }) { totalCount } }')).toBe(
    plain + 3 * CROSS_SYSTEM_PREDICATE_COST,
  );
  const products = cost('{ products(first: 10) { totalCount } }');
  expect(cost('{ products(first: 10, orderBy: { averageRating: DESC }, filter: { minAverageRating: 4 }) { totalCount } }')).toBe(
    products + 2 * CROSS_SYSTEM_PREDICATE_COST,
  );
});

test('a filtered connection nested under a list pays its surcharge per parent item', () => {
  const nested = (filter: string) => cost(`{ users(first: 50) { edges { node { orders(first: 5${filter}) { totalCount } } } } }`);
  expect(nested(', filter: { minReviewScore: 4 }') - nested('')).toBe(50 * CROSS_SYSTEM_PREDICATE_COST);
});
