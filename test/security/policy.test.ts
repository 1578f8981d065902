/**
 * The policy table and its masks, checked directly (the role matrix checks them over HTTP on the data;
 * the review store shared here holds scores only, so the review-text masks are shown here).
 */
import { ANONYMOUS, CATALOG_READ_SCOPE, fieldAccess, maskValue, PII_FIELDS, pseudonymKeyOf, pseudonymOf, type Principal, type Role } from '../../src/security';

const principal = (role: Role, scopes: string[] = [], sellerId?: string): Principal => ({
  role,
  subject: 'tester',
  scopes: new Set(scopes),
  via: 'jwt',
  ...(sellerId ? { sellerId, pseudonymKey: pseudonymKeyOf('secret', sellerId) } : {}),
});

test('review text is masked for BI unless pii:read, readable by its author and the partner whose product it reviews', () => {
  for (const field of ['title', 'comment']) {
    expect(fieldAccess(principal('bi'), 'Review', field)).toEqual({ mask: 'hidden' });
    expect(fieldAccess(principal('bi', ['pii:read']), 'Review', field)).toBe('allow');
    expect(fieldAccess(principal('customer'), 'Review', field)).toBe('allow');
    expect(fieldAccess(principal('partner', [], 'a'.repeat(32)), 'Review', field)).toBe('allow');
    expect(fieldAccess(principal('frontend-service'), 'Review', field)).toBe('forbid');
  }
  expect(maskValue('hidden', 'Ótimo, recomendo a Maria da rua 7', principal('bi'))).toBeNull();
});

test('pii:read lifts masks for BI only, never the partner pseudonym, and grants nothing to other roles', () => {
  expect(fieldAccess(principal('partner', ['pii:read'], 'a'.repeat(32)), 'User', 'id')).toEqual({ mask: 'pseudonym' });
  expect(fieldAccess(principal('frontend-service', ['pii:read']), 'CustomerAccount', 'zipPrefix')).toBe('forbid');
  expect(fieldAccess(principal('customer', ['pii:read']), 'Query', 'users')).toBe('forbid');
});

test('an anonymous caller reads the catalog only when the configuration gives it catalog:read', () => {
  expect(fieldAccess(ANONYMOUS, 'Query', 'products')).toBe('forbid');
  expect(fieldAccess({ ...ANONYMOUS, scopes: new Set([CATALOG_READ_SCOPE]) }, 'Query', 'products')).toBe('allow');
  expect(fieldAccess({ ...ANONYMOUS, scopes: new Set([CATALOG_READ_SCOPE]) }, 'Query', 'orders')).toBe('forbid');
});

test('a Query field the table does not name is closed to every role but admin (secure default)', () => {
  for (const role of ['customer', 'frontend-service', 'bi', 'partner'] as const) expect(fieldAccess(principal(role), 'Query', 'somethingNew')).toBe('forbid');
  expect(fieldAccess(principal('admin'), 'Query', 'somethingNew')).toBe('allow');
});

test('the PII list names every masked field', () => {
  expect(Object.fromEntries(PII_FIELDS)).toEqual({
    'User.id': 'pseudonym',
    'CustomerAccount.zipPrefix': 'zip',
    'CustomerAccount.city': 'hidden',
    'CustomerAccount.location': 'hidden',
    'CustomerAccount.flags': 'empty-list',
    'CustomerAccount.provenance': 'raw-values',
    'Review.title': 'hidden',
    'Review.comment': 'hidden',
    'Review.provenance': 'raw-values',
  });
});

test('pseudonyms: 32 hex digits, stable per partner, different across partners, not the id', () => {
  const person = '0123456789abcdef0123456789abcdef';
  const one = pseudonymOf(pseudonymKeyOf('secret', 'a'.repeat(32)), person);
  expect(one).toMatch(/^[0-9a-f]{32}$/);
  expect(pseudonymOf(pseudonymKeyOf('secret', 'a'.repeat(32)), person)).toBe(one);
  expect(pseudonymOf(pseudonymKeyOf('secret', 'b'.repeat(32)), person)).not.toBe(one);
  expect(pseudonymOf(pseudonymKeyOf('other secret', 'a'.repeat(32)), person)).not.toBe(one);
  expect(one).not.toBe(person);
  expect(maskValue('zip', '01037', principal('bi'))).toBe('01***');
  expect(maskValue('raw-values', [{ field: 'city', rawValue: 'sao paulo - sp' }], principal('bi'))).toEqual([{ field: 'city', rawValue: null }]);
});

test('Product.boughtTogether is open to the roles that read similar products (the public catalog), not to partners', () => {
  const catalogAnonymous = { ...ANONYMOUS, scopes: new Set([CATALOG_READ_SCOPE]) };
  expect(fieldAccess(catalogAnonymous, 'Product', 'boughtTogether')).toBe('allow');
  expect(fieldAccess(ANONYMOUS, 'Product', 'boughtTogether')).toBe('forbid');
  for (const role of ['customer', 'frontend-service', 'bi', 'admin'] as const) {
    expect(fieldAccess(principal(role), 'Product', 'boughtTogether')).toBe(fieldAccess(principal(role), 'Product', 'similar'));
    expect(fieldAccess(principal(role), 'Product', 'boughtTogether')).toBe('allow');
  }
  expect(fieldAccess(principal('partner', [], 'a'.repeat(32)), 'Product', 'boughtTogether')).toBe('forbid');
});

test('demandForecast (product and category) is seller-facing: partners, BI and admins only; the category itself stays catalog data', () => {
  const catalogAnonymous = { ...ANONYMOUS, scopes: new Set([CATALOG_READ_SCOPE]) };
  for (const type of ['Product', 'Category']) {
    for (const role of ['bi', 'admin'] as const) expect(fieldAccess(principal(role), type, 'demandForecast')).toBe('allow');
    expect(fieldAccess(principal('partner', [], 'a'.repeat(32)), type, 'demandForecast')).toBe('allow');
    for (const role of ['customer', 'frontend-service'] as const) expect(fieldAccess(principal(role), type, 'demandForecast')).toBe('forbid');
    expect(fieldAccess(catalogAnonymous, type, 'demandForecast')).toBe('forbid');
  }
  for (const role of ['customer', 'frontend-service', 'bi', 'partner'] as const) expect(fieldAccess(principal(role), 'Category', 'name')).toBe('allow');
  expect(fieldAccess(catalogAnonymous, 'Category', 'nameEn')).toBe('allow');
});

test('segments: a person’s own segment for customers, the frontend and BI; the whole base’s profiles for BI only; anomalies for BI and partners (their own orders by row scope), never the buyer', () => {
  for (const role of ['customer', 'frontend-service', 'bi', 'admin'] as const) expect(fieldAccess(principal(role), 'User', 'segment')).toBe('allow');
  expect(fieldAccess(principal('partner', [], 'a'.repeat(32)), 'User', 'segment')).toBe('forbid');
  expect(fieldAccess(principal('bi'), 'Query', 'segments')).toBe('allow');
  for (const role of ['customer', 'frontend-service'] as const) expect(fieldAccess(principal(role), 'Query', 'segments')).toBe('forbid');
  expect(fieldAccess(principal('partner', [], 'a'.repeat(32)), 'Query', 'segments')).toBe('forbid');
  expect(fieldAccess(principal('bi'), 'Order', 'anomaly')).toBe('allow');
  expect(fieldAccess(principal('partner', [], 'a'.repeat(32)), 'Order', 'anomaly')).toBe('allow');
  expect(fieldAccess(principal('customer'), 'Order', 'anomaly')).toBe('forbid');
  expect(fieldAccess(ANONYMOUS, 'Order', 'anomaly')).toBe('forbid');
});
