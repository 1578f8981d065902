-- Same tables, columns and indexes as ../sqlite/0001_init.sql. Timestamps stay the system's local text.
-- Text compares byte-wise (COLLATE "C"), as in SQLite, so ORDER BY and keyset cursors page identically.
CREATE TABLE orders (
  order_id VARCHAR(32) COLLATE "C" NOT NULL PRIMARY KEY,
  customer_id VARCHAR(32) COLLATE "C" NOT NULL,
  order_status TEXT COLLATE "C" NOT NULL,
  order_purchase_timestamp TEXT COLLATE "C" NOT NULL,
  order_approved_at TEXT COLLATE "C",
  order_delivered_carrier_date TEXT COLLATE "C",
  order_delivered_customer_date TEXT COLLATE "C",
  order_estimated_delivery_date TEXT COLLATE "C"
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_order_purchase_timestamp_order_id_idx ON orders (order_purchase_timestamp, order_id);
CREATE INDEX orders_order_status_order_purchase_timestamp_order_id_idx ON orders (order_status, order_purchase_timestamp, order_id);
CREATE TABLE order_items (
  order_id VARCHAR(32) COLLATE "C" NOT NULL,
  order_item_id INTEGER NOT NULL,
  product_id VARCHAR(32) COLLATE "C" NOT NULL,
  seller_id VARCHAR(32) COLLATE "C" NOT NULL,
  shipping_limit_date TEXT COLLATE "C" NOT NULL,
  price DOUBLE PRECISION NOT NULL,
  freight_value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (order_id, order_item_id)
);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
CREATE INDEX order_items_seller_id_product_id_idx ON order_items (seller_id, product_id);
CREATE TABLE order_payments (
  order_id VARCHAR(32) COLLATE "C" NOT NULL,
  payment_sequential INTEGER NOT NULL,
  payment_type TEXT COLLATE "C" NOT NULL,
  payment_installments INTEGER NOT NULL,
  payment_value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (order_id, payment_sequential)
);
