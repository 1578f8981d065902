-- Same tables, columns and indexes as ../sqlite/0001_init.sql. utf8mb4_bin: byte-wise comparison as in
-- SQLite (MariaDB's default collation is case-insensitive), so ORDER BY and keyset cursors page identically.
CREATE TABLE products (
  product_id VARCHAR(32) NOT NULL PRIMARY KEY,
  product_category_name VARCHAR(255),
  product_name_lenght INT,
  product_description_lenght INT,
  product_photos_qty INT,
  product_weight_g INT,
  product_length_cm INT,
  product_height_cm INT,
  product_width_cm INT,
  INDEX products_product_category_name_product_id_idx (product_category_name, product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE sellers (
  seller_id VARCHAR(32) NOT NULL PRIMARY KEY,
  seller_zip_code_prefix VARCHAR(16) NOT NULL,
  seller_city VARCHAR(255) NOT NULL,
  seller_state VARCHAR(16) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE category_translations (
  product_category_name VARCHAR(255) NOT NULL PRIMARY KEY,
  product_category_name_english VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
