-- Same tables, columns and indexes as ../sqlite/0001_init.sql. Text compares byte-wise (COLLATE "C"),
-- as in SQLite, so ORDER BY and keyset cursors on ids page identically.
CREATE TABLE products (
  product_id VARCHAR(32) COLLATE "C" NOT NULL PRIMARY KEY,
  product_category_name TEXT COLLATE "C",
  product_name_lenght INTEGER,
  product_description_lenght INTEGER,
  product_photos_qty INTEGER,
  product_weight_g INTEGER,
  product_length_cm INTEGER,
  product_height_cm INTEGER,
  product_width_cm INTEGER
);
CREATE INDEX products_product_category_name_product_id_idx ON products (product_category_name, product_id);
CREATE TABLE sellers (
  seller_id VARCHAR(32) COLLATE "C" NOT NULL PRIMARY KEY,
  seller_zip_code_prefix TEXT COLLATE "C" NOT NULL,
  seller_city TEXT COLLATE "C" NOT NULL,
  seller_state TEXT COLLATE "C" NOT NULL
);
CREATE TABLE category_translations (
  product_category_name TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  product_category_name_english TEXT COLLATE "C" NOT NULL
);
