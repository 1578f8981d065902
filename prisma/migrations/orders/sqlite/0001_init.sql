CREATE TABLE orders (
  order_id TEXT NOT NULL PRIMARY KEY,
  customer_id TEXT NOT NULL,
  order_status TEXT NOT NULL,
  order_purchase_timestamp TEXT NOT NULL,
  order_approved_at TEXT,
  order_delivered_carrier_date TEXT,
  order_delivered_customer_date TEXT,
  order_estimated_delivery_date TEXT
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_order_purchase_timestamp_order_id_idx ON orders (order_purchase_timestamp, order_id);
CREATE INDEX orders_order_status_order_purchase_timestamp_order_id_idx ON orders (order_status, order_purchase_timestamp, order_id);
CREATE TABLE order_items (
  order_id TEXT NOT NULL,
  order_item_id INTEGER NOT NULL,
  product_id TEXT NOT NULL,
  seller_id TEXT NOT NULL,
  shipping_limit_date TEXT NOT NULL,
  price REAL NOT NULL,
  freight_value REAL NOT NULL,
  PRIMARY KEY (order_id, order_item_id)
);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
CREATE INDEX order_items_seller_id_product_id_idx ON order_items (seller_id, product_id);
CREATE TABLE order_payments (
  order_id TEXT NOT NULL,
  payment_sequential INTEGER NOT NULL,
  payment_type TEXT NOT NULL,
  payment_installments INTEGER NOT NULL,
  payment_value REAL NOT NULL,
  PRIMARY KEY (order_id, payment_sequential)
);
