/** Payment features: how the order is paid (chosen at purchase) and the person's paying habits. */
import type { DeliveryContext, FeatureSpec, RecommendationContext } from './context';

const d = (spec: Omit<FeatureSpec<DeliveryContext>, 'source' | 'kind'>): FeatureSpec<DeliveryContext> => ({ source: 'payments', kind: 'numeric', ...spec });
const share = (c: DeliveryContext, type: string) => (c.payments.length ? c.payments.filter((p) => p.type === type).length / c.payments.length : Number.NaN);

export const PAYMENTS_DELIVERY_FEATURES: FeatureSpec<DeliveryContext>[] = [
  d({ name: 'd_n_payments', transform: 'identity', fill: 1, description: 'payment records of the order', compute: (c) => c.payments.length || Number.NaN }),
  d({
    name: 'd_max_installments',
    transform: 'identity',
    fill: 1,
    description: 'largest instalment count',
    compute: (c) => (c.payments.length ? Math.max(...c.payments.map((p) => p.installments)) : Number.NaN),
  }),
  d({
    name: 'd_pay_boleto',
    transform: 'rate',
    fill: 0,
    description: 'share of payments by boleto (paid later, delays approval)',
    compute: (c) => share(c, 'boleto'),
  }),
  d({ name: 'd_pay_voucher', transform: 'rate', fill: 0, description: 'share of payments by voucher', compute: (c) => share(c, 'voucher') }),
  d({ name: 'd_pay_debit', transform: 'rate', fill: 0, description: 'share of payments by debit card', compute: (c) => share(c, 'debit_card') }),
  d({
    name: 'd_log_payment_value',
    transform: 'log1p',
    fill: 0,
    description: 'log1p total paid',
    compute: (c) => Math.log1p(c.payments.reduce((s, p) => s + p.value, 0)),
  }),
];

const r = (spec: Omit<FeatureSpec<RecommendationContext>, 'source' | 'kind'>): FeatureSpec<RecommendationContext> => ({
  source: 'payments',
  kind: 'numeric',
  ...spec,
});

export const PAYMENTS_RECOMMENDATION_FEATURES: FeatureSpec<RecommendationContext>[] = [
  r({
    name: 'r_user_mean_installments',
    scope: 'user',
    transform: 'identity',
    fill: 0,
    description: "person's mean instalments over orders before t (0: none)",
    compute: (c) => c.user.meanInstallments,
  }),
  r({
    name: 'r_price_vs_user_spend',
    scope: 'pair',
    transform: 'identity',
    fill: 0,
    description: "log(product mean price / person's mean item price) (0: unknown)",
    compute: (c) => (c.user.nItems > 0 && c.product.meanPrice > 0 ? Math.log(c.product.meanPrice / c.user.meanItemPrice) : Number.NaN),
  }),
];
