import type { RedisEntityCache } from './cache/entity-cache';
import type { CatalogSource } from './catalog/catalog.source';
import type { CrmSource } from './crm/crm.source';
import type { GeographySource } from './geography/geography.source';
import type { OrdersSource } from './orders/orders.source';
import type { SourceHealth } from './resilience/guard-source';
import type { ReviewsReader } from './reviews/reviews.source';

/** The source systems one server reads, whatever back-ends they run on (embedded files, PostgreSQL/MariaDB, HTTP). */
export interface Sources {
  crm: CrmSource;
  catalog: CatalogSource;
  orders: OrdersSource;
  /** The JSONL store (embedded default) or the review service over HTTP: the same answers. */
  reviews: ReviewsReader;
  geography: GeographySource;
  /** The Redis entity cache in front of the by-id lookups, when the configuration turns it on. */
  cache?: RedisEntityCache;
  /** Which back-end each system runs on (for /readyz and logs; no secrets). */
  backends?: Record<string, string>;
  /** Each guarded source's breaker state, in-flight calls and last error (for /readyz). */
  health?(): SourceHealth[];
  close(): Promise<void>;
}
