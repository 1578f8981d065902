import {
  categoryRule,
  expectedDatesRule,
  MEASURE_LIMITS,
  multipleReviewsRule,
  paymentTypeRule,
  productMeasureRule,
  reviewTextRule,
  sharedReviewIdRule,
  statusTimelineRule,
  timestampRule,
} from '../../../src/fusion';

describe('timestamp.iso', () => {
  it.each([
    ['2017-10-02 10:56:33', '2017-10-02T10:56:33-03:00'],
    ['2018-01-15 08:00:00', '2018-01-15T08:00:00-02:00'], // daylight saving
    ['2019-06-01 00:00:00', '2019-06-01T00:00:00-03:00'], // Brazil dropped DST in 2019
  ])('%s → %s', (raw, iso) => expect(timestampRule.apply(raw, undefined)).toEqual({ value: iso, changed: true }));

  it('empty stays null without a flag; garbage is null and flagged', () => {
    expect(timestampRule.apply('', undefined)).toEqual({ value: null, changed: false });
    expect(timestampRule.apply(null, undefined)).toEqual({ value: null, changed: false });
    const garbage = timestampRule.apply('02/10/2017', undefined);
    expect(garbage.value).toBeNull();
    expect(garbage.flag).toContain('02/10/2017');
  });
});

describe('category.translate', () => {
  const translate = (name: string) => ({ beleza_saude: 'health_beauty' })[name];
  it('translates, flags untranslated and missing categories', () => {
    expect(categoryRule.apply('beleza_saude', translate)).toEqual({ value: { name: 'beleza_saude', nameEn: 'health_beauty' }, changed: false });
    const untranslated = categoryRule.apply('pc_gamer', translate);
    expect(untranslated.value).toEqual({ name: 'pc_gamer', nameEn: null });
    expect(untranslated.flag).toContain('pc_gamer');
    expect(categoryRule.apply(null, translate).value).toBeNull();
    expect(categoryRule.apply(null, translate).flag).toBeDefined();
  });
});

describe('product.measure', () => {
  it('keeps believable values, nulls and flags missing, zero and impossible ones', () => {
    expect(productMeasureRule.apply(225, MEASURE_LIMITS.weightGrams)).toEqual({ value: 225, changed: false });
    expect(productMeasureRule.apply(null, MEASURE_LIMITS.weightGrams)).toMatchObject({ value: null, flag: 'missing' });
    expect(productMeasureRule.apply(0, MEASURE_LIMITS.weightGrams)).toMatchObject({ value: null, changed: true });
    expect(productMeasureRule.apply(0, MEASURE_LIMITS.weightGrams).flag).toContain('0 g');
    expect(productMeasureRule.apply(301, MEASURE_LIMITS.lengthCm).flag).toContain('exceeds 300 cm');
  });
});

describe('order rules', () => {
  const order = {
    status: 'delivered',
    purchasedAt: '2017-10-02T10:56:33-03:00',
    approvedAt: '2017-10-02T11:07:15-03:00',
    carrierAt: '2017-10-04T19:55:00-03:00',
    deliveredAt: '2017-10-10T21:25:13-03:00',
  };

  it('order.expected_dates names the timestamps the status implies', () => {
    expect(expectedDatesRule.apply(order, undefined).flag).toBeUndefined();
    const outcome = expectedDatesRule.apply({ ...order, deliveredAt: null, carrierAt: null }, undefined);
    expect(outcome.value).toEqual(['carrierAt', 'deliveredAt']);
    expect(outcome.flag).toBe('delivered order lacks carrierAt, deliveredAt');
    expect(expectedDatesRule.apply({ ...order, status: 'created', approvedAt: null, carrierAt: null, deliveredAt: null }, undefined).flag).toBeUndefined();
  });

  it('order.status_contradicts_timestamps catches canceled-but-delivered and time running backwards', () => {
    expect(statusTimelineRule.apply(order, undefined).flag).toBeUndefined();
    expect(statusTimelineRule.apply({ ...order, status: 'canceled' }, undefined).flag).toBe('canceled but delivered');
    expect(statusTimelineRule.apply({ ...order, deliveredAt: '2017-10-01T00:00:00-03:00' }, undefined).flag).toBe('deliveredAt before purchasedAt');
  });

  it('flags multiple reviews, not_defined payments and shared review ids', () => {
    expect(multipleReviewsRule.apply(1, undefined).flag).toBeUndefined();
    expect(multipleReviewsRule.apply(3, undefined).flag).toBe('3 reviews for one order');
    expect(paymentTypeRule.apply('boleto', undefined).flag).toBeUndefined();
    expect(paymentTypeRule.apply('not_defined', undefined)).toMatchObject({ value: 'not_defined', flag: 'payment type not defined' });
    expect(sharedReviewIdRule.apply(2, undefined).flag).toBe('review id used by 2 orders');
  });

  it('review.text trims and turns blank into null', () => {
    expect(reviewTextRule.apply('  Ótimo produto ', undefined)).toEqual({ value: 'Ótimo produto', changed: true });
    expect(reviewTextRule.apply('   ', undefined)).toEqual({ value: null, changed: true });
    expect(reviewTextRule.apply(undefined, undefined)).toEqual({ value: null, changed: false });
  });
});
