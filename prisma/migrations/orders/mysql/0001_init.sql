-- Same tables, columns and indexes as ../sqlite/0001_init.sql. Timestamps stay the system's local text.
-- utf8mb4_bin: byte-wise comparison as in SQLite (MariaDB's default collation is case-insensitive).
CREATE TABLE orders (
  order_id VARCHAR(32) NOT NULL PRIMARY KEY,
  customer_id VARCHAR(32) NOT NULL,
  order_status VARCHAR(32) NOT NULL,
  order_purchase_timestamp VARCHAR(32) NOT NULL,
  order_approved_at VARCHAR(32),
  order_delivered_carrier_date VARCHAR(32),
  order_delivered_customer_date VARCHAR(32),
  order_estimated_delivery_date VARCHAR(32),
  INDEX orders_customer_id_idx (customer_id),
  INDEX orders_order_purchase_timestamp_order_id_idx (order_purchase_timestamp, order_id),
  INDEX orders_order_status_order_purchase_timestamp_order_id_idx (order_status, order_purchase_timestamp, order_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE order_items (
  order_id VARCHAR(32) NOT NULL,
  order_item_id INT NOT NULL,
  product_id VARCHAR(32) NOT NULL,
  seller_id VARCHAR(32) NOT NULL,
  shipping_limit_date VARCHAR(32) NOT NULL,
  price DOUBLE NOT NULL,
  freight_value DOUBLE NOT NULL,
  PRIMARY KEY (order_id, order_item_id),
  INDEX order_items_product_id_idx (product_id),
  INDEX order_items_seller_id_product_id_idx (seller_id, product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE order_payments (
  order_id VARCHAR(32) NOT NULL,
  payment_sequential INT NOT NULL,
  payment_type VARCHAR(32) NOT NULL,
  payment_installments INT NOT NULL,
  payment_value DOUBLE NOT NULL,
  PRIMARY KEY (order_id, payment_sequential)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
