/** Product/Category.demandForecast's cost: weight 20 (a share of one model run) plus its selection; its lists cost the assumed list size. */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import { DEFAULT_FIELD_WEIGHTS } from '../../../src/config/limits-config';
import { operationCost } from '../../../src/security/limits';

const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8'));
const cost = (query: string) => operationCost(schema, parse(query), {}, undefined, { assumedListSize: 10, fieldWeights: DEFAULT_FIELD_WEIGHTS });

test('weighs 20, plus its selection', () => {
  expect(DEFAULT_FIELD_WEIGHTS['Product.demandForecast']).toBe(20);
  expect(DEFAULT_FIELD_WEIGHTS['Category.demandForecast']).toBe(20);
  // product 1 + (demandForecast 20 + recentOrders 1)
  expect(cost('{ product(id: "x") { demandForecast { recentOrders } } }')).toBe(1 + 20 + 1);
  // product 1 + category (1 + demandForecast (20 + weeks list (1 + expected 1) × 10))
  expect(cost('{ product(id: "x") { category { demandForecast(weeks: 8) { weeks { expected } } } } }')).toBe(1 + 1 + 20 + (1 + 1) * 10);
});
