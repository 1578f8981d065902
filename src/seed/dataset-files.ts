import fs from 'node:fs';
import path from 'node:path';

/**
 * The Olist tables the seed reads. Each lists the file names it accepts, first found wins:
 * the raw Kaggle file when a user adds it, otherwise the derived projection shipped in shared/.
 */
export interface DatasetTable {
  name: string;
  candidates: string[];
  requiredColumns: string[];
}

export const DATASET_TABLES = {
  customers: {
    name: 'customers',
    candidates: ['olist_customers_dataset.csv'],
    requiredColumns: ['customer_id', 'customer_unique_id', 'customer_zip_code_prefix', 'customer_city', 'customer_state'],
  },
  products: {
    name: 'products',
    candidates: ['olist_products_dataset.csv'],
    requiredColumns: [
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
  },
  sellers: {
    name: 'sellers',
    candidates: ['olist_sellers_dataset.csv'],
    requiredColumns: ['seller_id', 'seller_zip_code_prefix', 'seller_city', 'seller_state'],
  },
  categoryTranslations: {
    name: 'category_translations',
    candidates: ['product_category_name_translation.csv'],
    requiredColumns: ['product_category_name', 'product_category_name_english'],
  },
  orders: {
    name: 'orders',
    candidates: ['olist_orders_dataset.csv'],
    requiredColumns: [
      'order_id',
      'customer_id',
      'order_status',
      'order_purchase_timestamp',
      'order_approved_at',
      'order_delivered_carrier_date',
      'order_delivered_customer_date',
      'order_estimated_delivery_date',
    ],
  },
  orderItems: {
    name: 'order_items',
    candidates: ['olist_order_items_dataset.csv'],
    requiredColumns: ['order_id', 'order_item_id', 'product_id', 'seller_id', 'shipping_limit_date', 'price', 'freight_value'],
  },
  orderPayments: {
    name: 'order_payments',
    candidates: ['olist_order_payments_dataset.csv'],
    requiredColumns: ['order_id', 'payment_sequential', 'payment_type', 'payment_installments', 'payment_value'],
  },
  reviews: {
    name: 'reviews',
    candidates: ['olist_order_reviews_dataset.csv', 'DERIVED_olist_order_reviews_scores_only.csv'],
    requiredColumns: ['order_id', 'review_score'],
  },
  geolocation: {
    name: 'geolocation',
    candidates: ['olist_geolocation_dataset.csv', 'DERIVED_olist_geolocation_last_row_per_zip_prefix.csv'],
    requiredColumns: ['geolocation_zip_code_prefix', 'geolocation_lat', 'geolocation_lng', 'geolocation_city', 'geolocation_state'],
  },
} satisfies Record<string, DatasetTable>;

export type DatasetTableKey = keyof typeof DATASET_TABLES;

export class DatasetError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'DatasetError';
  }
}

/** Finds the file for a table in `dir`: each candidate as .csv or .csv.gz, in order. */
export function locateTableFile(dir: string, table: DatasetTable): string {
  for (const candidate of table.candidates) {
    for (const fileName of [candidate, `${candidate}.gz`]) {
      const file = path.join(dir, fileName);
      if (fs.existsSync(file)) return file;
    }
  }
  throw new DatasetError(
    path.join(dir, `${table.candidates[0]}.gz`),
    `missing: the ${table.name} table needs one of ${table.candidates.map((c) => `${c}[.gz]`).join(', ')} in ${dir}`,
  );
}
