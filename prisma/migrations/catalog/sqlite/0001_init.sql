CREATE TABLE products (
  product_id TEXT NOT NULL PRIMARY KEY,
  product_category_name TEXT,
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
  seller_id TEXT NOT NULL PRIMARY KEY,
  seller_zip_code_prefix TEXT NOT NULL,
  seller_city TEXT NOT NULL,
  seller_state TEXT NOT NULL
);
CREATE TABLE category_translations (
  product_category_name TEXT NOT NULL PRIMARY KEY,
  product_category_name_english TEXT NOT NULL
);
