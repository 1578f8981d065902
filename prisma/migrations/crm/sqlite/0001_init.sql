CREATE TABLE customers (
  customer_id TEXT NOT NULL PRIMARY KEY,
  customer_unique_id TEXT NOT NULL,
  customer_zip_code_prefix TEXT NOT NULL,
  customer_city TEXT NOT NULL,
  customer_state TEXT NOT NULL
);
CREATE INDEX customers_customer_unique_id_idx ON customers (customer_unique_id);
CREATE INDEX customers_customer_state_customer_unique_id_idx ON customers (customer_state, customer_unique_id);
