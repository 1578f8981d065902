-- Same tables, columns and indexes as ../sqlite/0001_init.sql. Text compares byte-wise (COLLATE "C"),
-- as in SQLite, so ORDER BY and keyset cursors on ids page identically.
CREATE TABLE customers (
  customer_id VARCHAR(32) COLLATE "C" NOT NULL PRIMARY KEY,
  customer_unique_id VARCHAR(32) COLLATE "C" NOT NULL,
  customer_zip_code_prefix TEXT COLLATE "C" NOT NULL,
  customer_city TEXT COLLATE "C" NOT NULL,
  customer_state TEXT COLLATE "C" NOT NULL
);
CREATE INDEX customers_customer_unique_id_idx ON customers (customer_unique_id);
CREATE INDEX customers_customer_state_customer_unique_id_idx ON customers (customer_state, customer_unique_id);
