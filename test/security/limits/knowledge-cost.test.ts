/** The segment and anomaly fields' costs: their default weights plus their selections. */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import { DEFAULT_FIELD_WEIGHTS } from '../../../src/config/limits-config';
import { operationCost } from '../../../src/security/limits';

const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8'));
const cost = (query: string) => operationCost(schema, parse(query), {}, undefined, { assumedListSize: 10, fieldWeights: DEFAULT_FIELD_WEIGHTS });

test('Order.anomaly weighs 10, User.segment 2, Query.segments 5 (a list: times the assumed size)', () => {
  expect(cost('{ order(id: "x") { anomaly { score } } }')).toBe(1 + 10 + 1);
  expect(cost('{ user(id: "x") { segment { id } } }')).toBe(1 + 2 + 1);
  expect(cost('{ segments { id } }')).toBe((5 + 1) * 10);
  // 20 orders of a page: each one's anomaly counts.
  expect(cost('{ orders(first: 20) { edges { node { anomaly { score } } } } }')).toBeGreaterThanOrEqual(20 * (10 + 1));
});
