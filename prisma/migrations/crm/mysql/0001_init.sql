-- Same tables, columns and indexes as ../sqlite/0001_init.sql. utf8mb4_bin: byte-wise comparison as in
-- SQLite (MariaDB's default collation is case-insensitive), so ORDER BY and keyset cursors page identically.
CREATE TABLE customers (
  customer_id VARCHAR(32) NOT NULL PRIMARY KEY,
  customer_unique_id VARCHAR(32) NOT NULL,
  customer_zip_code_prefix VARCHAR(16) NOT NULL,
  customer_city VARCHAR(255) NOT NULL,
  customer_state VARCHAR(16) NOT NULL,
  INDEX customers_customer_unique_id_idx (customer_unique_id),
  INDEX customers_customer_state_customer_unique_id_idx (customer_state, customer_unique_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
