/**
 * Weekly orders per product and per category read straight from dataset CSV files (not through the
 * sources or src/scoring/forecast): the independent side of the forecast tests. A week is the
 * Monday-to-Sunday week of the purchase timestamp's local date; canceled and unavailable orders and
 * orders without items are not counted; an order counts once per product / category (and seller).
 */
import { datasetFile, parseDatasetFile } from '../../helpers/mini-dataset';

/** Monday (YYYY-MM-DD) of the week holding a local "YYYY-MM-DD ..." timestamp. */
export function mondayOf(timestamp: string): string {
  const day = new Date(`${timestamp.slice(0, 10)}T00:00:00Z`);
  const back = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** The Mondays from `first` (a Monday) up to, not including, `end` (a Monday). */
export function mondays(first: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t < Date.parse(`${end}T00:00:00Z`); t += 7 * 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export interface CsvWeeks {
  /** "PRODUCT|id|seller" or "CATEGORY|name|seller" (seller '' = all) → Monday → orders. */
  counts: Map<string, Map<string, number>>;
  /** The earliest week with an order. */
  firstMonday: string;
}

/** Counts the orders purchased before `cut` (local "YYYY-MM-DD HH:MM:SS") in the dataset folder `dir`. */
export function csvWeeks(dir: string, cut: string): CsvWeeks {
  const categoryOf = new Map(parseDatasetFile(datasetFile(dir, 'olist_products_dataset.csv')).map((r) => [r.product_id, r.product_category_name]));
  const linesOf = new Map<string, { product: string; seller: string }[]>();
  for (const r of parseDatasetFile(datasetFile(dir, 'olist_order_items_dataset.csv'))) {
    linesOf.set(r.order_id, [...(linesOf.get(r.order_id) ?? []), { product: r.product_id, seller: r.seller_id }]);
  }
  const counts = new Map<string, Map<string, number>>();
  let firstMonday = '9999-12-31';
  for (const o of parseDatasetFile(datasetFile(dir, 'olist_orders_dataset.csv'))) {
    const t = o.order_purchase_timestamp;
    if (!(t < cut) || o.order_status === 'canceled' || o.order_status === 'unavailable' || !linesOf.has(o.order_id)) continue;
    const monday = mondayOf(t);
    if (monday >= mondayOf(cut)) continue;
    if (monday < firstMonday) firstMonday = monday;
    const keys = new Set<string>();
    for (const { product, seller } of linesOf.get(o.order_id)!) {
      for (const s of ['', seller]) {
        keys.add(`PRODUCT|${product}|${s}`);
        if (categoryOf.get(product)) keys.add(`CATEGORY|${categoryOf.get(product)}|${s}`);
      }
    }
    for (const key of keys) {
      const weeks = counts.get(key) ?? new Map<string, number>();
      weeks.set(monday, (weeks.get(monday) ?? 0) + 1);
      counts.set(key, weeks);
    }
  }
  return { counts, firstMonday };
}

/** One series as dense weekly counts over `weeks` (Mondays). */
export function dense(csv: CsvWeeks, key: string, weeks: readonly string[]): number[] {
  const counts = csv.counts.get(key);
  return weeks.map((w) => counts?.get(w) ?? 0);
}
