/**
 * Compile-time half of the read-model proof (the runtime half: read-model.test.ts). `npm run typecheck`
 * compiles this file, so it fails when the resolvers' context, the read model or the scoring reads
 * expose — as a member, a method's result, an array element, at any depth up to DEPTH — a source,
 * a source loader, a raw source record, the order-statistics engine or the scoring service (whose
 * feature store covers every person). Adding `sources` or `loaders` back to the context fails here.
 */
import type { OrderStatsEngine } from '../../src/fusion';
import type { ReadModel, ScoringReads } from '../../src/read-model';
import type { ScoringService, ServingFeatures } from '../../src/scoring';
import type {
  CatalogSource,
  CategoryTranslationRecord,
  CrmSource,
  CustomerRecord,
  GeographySource,
  GeolocationRecord,
  OrderItemRecord,
  OrderPaymentRecord,
  OrderRecord,
  OrdersSource,
  ProductRecord,
  ReviewsReader,
  SellerRecord,
  SourceLoaders,
  Sources,
  StoredReview,
} from '../../src/sources';
import type { SubgraphContext } from '../../src/subgraphs';

/** What no resolver may hold: it reads every row, whoever the caller is. */
type Unscoped =
  | Sources
  | CrmSource
  | CatalogSource
  | OrdersSource
  | ReviewsReader
  | GeographySource
  | SourceLoaders
  | SourceLoaders[keyof SourceLoaders]
  | CustomerRecord
  | ProductRecord
  | SellerRecord
  | CategoryTranslationRecord
  | OrderRecord
  | OrderItemRecord
  | OrderPaymentRecord
  | StoredReview
  | GeolocationRecord
  | OrderStatsEngine
  | ScoringService
  | ServingFeatures;

type DEPTH = 6;

/** Every type reachable from T through properties, awaited method results and array elements, DEPTH levels deep. */
type Reachable<T, Seen extends unknown[] = []> = Seen['length'] extends DEPTH
  ? T
  : | T
    | (T extends (...args: never[]) => infer R
        ? Reachable<Awaited<R>, [...Seen, T]>
        : T extends readonly (infer E)[]
          ? Reachable<E, [...Seen, T]>
          : T extends object
            ? { [K in keyof T]-?: Reachable<T[K], [...Seen, T]> }[keyof T]
            : never);

/** true, or the unscoped types that T lets a resolver reach (shown in the compiler's message). */
type Clean<T> = [Extract<Reachable<T>, Unscoped>] extends [never] ? true : { reaches: Extract<Reachable<T>, Unscoped> };
type Expect<T extends true> = T;

export type ContextIsClean = Expect<Clean<SubgraphContext>>;
export type ReadModelIsClean = Expect<Clean<ReadModel>>;
export type ScoringReadsAreClean = Expect<Clean<ScoringReads>>;

/** The context's members, exactly: a new one has to be added here, and to the runtime test's allowed list, on purpose. */
type ContextMembers = 'data' | 'scoring' | 'principal' | 'requestId';
export type ContextHasOnlyItsMembers = Expect<
  [keyof SubgraphContext] extends [ContextMembers] ? ([ContextMembers] extends [keyof SubgraphContext] ? true : false) : false
>;

/** The check itself can fail: each of these shapes reaches an unscoped type. */
type Leaky = [
  { sources: Sources },
  { loaders: SourceLoaders },
  { data: { order(id: string): Promise<OrderRecord | null> } },
  { data: { itemsOfOrder(): Promise<{ lines: OrderItemRecord[] }> } },
  { orderStats?: { engine: OrderStatsEngine } },
  { scoring: { service: ScoringService } },
];
export type DetectsEveryLeak = Expect<{ [I in keyof Leaky]: Clean<Leaky[I]> extends true ? false : true }[number] extends true ? true : false>;
