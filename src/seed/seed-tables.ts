import type { SqlSystem } from '../sources';
import { DATASET_TABLES, type DatasetTable } from './dataset-files';
import type { RawRecordReader } from './raw-records';

/** One SQL table the seed fills: which dataset table feeds it and how a CSV row becomes its columns. */
export interface SqlSeedTable {
  system: SqlSystem;
  table: string;
  source: DatasetTable;
  columns: readonly string[];
  toValues(record: RawRecordReader): unknown[];
}

export const SQL_SEED_TABLES: readonly SqlSeedTable[] = [
  {
    system: 'crm',
    table: 'customers',
    source: DATASET_TABLES.customers,
    columns: ['customer_id', 'customer_unique_id', 'customer_zip_code_prefix', 'customer_city', 'customer_state'],
    toValues: (r) => [
      r.text('customer_id'),
      r.text('customer_unique_id'),
      r.text('customer_zip_code_prefix'),
      r.text('customer_city'),
      r.text('customer_state'),
    ],
  },
  {
    system: 'catalog',
    table: 'products',
    source: DATASET_TABLES.products,
    columns: [
      'product_id',
      'product_category_name',
      'product_name_lenght',
      'product_description_lenght',
      'product_photos_qty',
      'product_weight_g',
      'product_length_cm',
      'product_height_cm',
      'product_width_cm',
    ],
    toValues: (r) => [
      r.text('product_id'),
      r.optionalText('product_category_name'),
      r.optionalInteger('product_name_lenght'),
      r.optionalInteger('product_description_lenght'),
      r.optionalInteger('product_photos_qty'),
      r.optionalInteger('product_weight_g'),
      r.optionalInteger('product_length_cm'),
      r.optionalInteger('product_height_cm'),
      r.optionalInteger('product_width_cm'),
    ],
  },
  {
    system: 'catalog',
    table: 'sellers',
    source: DATASET_TABLES.sellers,
    columns: ['seller_id', 'seller_zip_code_prefix', 'seller_city', 'seller_state'],
    toValues: (r) => [r.text('seller_id'), r.text('seller_zip_code_prefix'), r.text('seller_city'), r.text('seller_state')],
  },
  {
    system: 'catalog',
    table: 'category_translations',
    source: DATASET_TABLES.categoryTranslations,
    columns: ['product_category_name', 'product_category_name_english'],
    toValues: (r) => [r.text('product_category_name'), r.text('product_category_name_english')],
  },
  {
    system: 'orders',
    table: 'orders',
    source: DATASET_TABLES.orders,
    columns: [
      'order_id',
      'customer_id',
      'order_status',
      'order_purchase_timestamp',
      'order_approved_at',
      'order_delivered_carrier_date',
      'order_delivered_customer_date',
      'order_estimated_delivery_date',
    ],
    toValues: (r) => [
      r.text('order_id'),
      r.text('customer_id'),
      r.text('order_status'),
      r.text('order_purchase_timestamp'),
      r.optionalText('order_approved_at'),
      r.optionalText('order_delivered_carrier_date'),
      r.optionalText('order_delivered_customer_date'),
      r.optionalText('order_estimated_delivery_date'),
    ],
  },
  {
    system: 'orders',
    table: 'order_items',
    source: DATASET_TABLES.orderItems,
    columns: ['order_id', 'order_item_id', 'product_id', 'seller_id', 'shipping_limit_date', 'price', 'freight_value'],
    toValues: (r) => [
      r.text('order_id'),
      r.integer('order_item_id'),
      r.text('product_id'),
      r.text('seller_id'),
      r.text('shipping_limit_date'),
      r.decimal('price'),
      r.decimal('freight_value'),
    ],
  },
  {
    system: 'orders',
    table: 'order_payments',
    source: DATASET_TABLES.orderPayments,
    columns: ['order_id', 'payment_sequential', 'payment_type', 'payment_installments', 'payment_value'],
    toValues: (r) => [
      r.text('order_id'),
      r.integer('payment_sequential'),
      r.text('payment_type'),
      r.integer('payment_installments'),
      r.decimal('payment_value'),
    ],
  },
];
