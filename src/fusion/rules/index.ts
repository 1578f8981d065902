/** Every cleaning rule, by name: the README's "Data fusion" table and the reconciliation report read this. */
import { categoryRule, productMeasureRule } from './catalog.rules';
import { cityNameRule, stateCodeRule, zipPrefixRule } from './location.rules';
import { expectedDatesRule, multipleReviewsRule, paymentTypeRule, reviewTextRule, sharedReviewIdRule, statusTimelineRule } from './order.rules';
import { timestampRule } from './timestamp.rules';

export * from './rule';
export * from './brazil';
export * from './location.rules';
export * from './catalog.rules';
export * from './order.rules';
export * from './timestamp.rules';

export const CLEANING_RULES = [
  cityNameRule,
  stateCodeRule,
  zipPrefixRule,
  timestampRule,
  categoryRule,
  productMeasureRule,
  expectedDatesRule,
  statusTimelineRule,
  multipleReviewsRule,
  paymentTypeRule,
  reviewTextRule,
  sharedReviewIdRule,
] as const;
