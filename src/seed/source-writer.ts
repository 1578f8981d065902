import fs from 'node:fs';
import type { SourcesConfig } from '../config/fusion-config';
import type { ChangeEvent, ReviewDocument } from '../events';
import { openSqlClient, placeholders, placeholderStyle, RestReviewsSource, type PlaceholderStyle, type RawSqlClient } from '../sources';

interface SqlTarget {
  client: RawSqlClient;
  style: PlaceholderStyle;
}

/** Where review documents go: appended to the JSONL store, or PUT to the review service with its write token. */
type ReviewsTarget = { kind: 'jsonl'; file: string } | { kind: 'rest'; service: RestReviewsSource; writeToken: string };

/**
 * Writes history changes into the source systems a configuration names, as those systems would record them:
 * accounts into the CRM, orders, items and payments (and their status updates) into order management, review
 * documents appended to the JSONL review store or written through the review service (PUT /reviews/{order}/{n}).
 * Each write is idempotent (a row already there is left alone, a review slot already filled is not written
 * again), so a replay resumed after a crash writes nothing twice.
 */
export class SourceWriter {
  private readonly reviewsPerOrder = new Map<string, number>();

  private constructor(
    private readonly crm: SqlTarget,
    private readonly orders: SqlTarget,
    private readonly reviews: ReviewsTarget,
  ) {}

  static async open(config: SourcesConfig): Promise<SourceWriter> {
    const target = (system: 'crm' | 'orders'): SqlTarget => {
      const source = config.sources[system];
      if (source.provider === 'sqlite' && !fs.existsSync(source.url))
        throw new Error(`sources.${system}: no SQLite file at ${source.url}: run the seed command first`);
      return { client: openSqlClient(system, source.provider, source.url), style: placeholderStyle(source.provider) };
    };
    const writer = new SourceWriter(target('crm'), target('orders'), await reviewsTarget(config));
    if (writer.reviews.kind === 'jsonl' && fs.existsSync(writer.reviews.file)) {
      for (const line of fs.readFileSync(writer.reviews.file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const orderId = (JSON.parse(line) as ReviewDocument).order_id;
        writer.reviewsPerOrder.set(orderId, (writer.reviewsPerOrder.get(orderId) ?? 0) + 1);
      }
    }
    return writer;
  }

  async write(event: ChangeEvent): Promise<void> {
    switch (event.type) {
      case 'customer.account-created':
        return this.insert(this.crm, 'customers', { customer_id: event.data.customer.customer_id }, event.data.customer);
      case 'order.created':
        return this.insert(this.orders, 'orders', { order_id: event.data.order.order_id }, event.data.order);
      case 'order.item-added': {
        const item = event.data.item;
        return this.insert(this.orders, 'order_items', { order_id: item.order_id, order_item_id: item.order_item_id }, item);
      }
      case 'order.payment-added': {
        const payment = event.data.payment;
        return this.insert(this.orders, 'order_payments', { order_id: payment.order_id, payment_sequential: payment.payment_sequential }, payment);
      }
      case 'order.status-changed': {
        const { orderId, status, field, at } = event.data;
        return this.update(this.orders, 'orders', { order_status: status, ...(field ? { [field]: at } : {}) }, { order_id: orderId });
      }
      case 'order.delivered':
        return this.update(
          this.orders,
          'orders',
          { order_status: 'delivered', order_delivered_customer_date: event.data.deliveredAt },
          { order_id: event.data.orderId },
        );
      case 'review.added': {
        const index = Number(event.id.split(':').pop());
        if (this.reviews.kind === 'rest') {
          await this.reviews.service.putReview(event.data.review, index, this.reviews.writeToken);
          return;
        }
        return this.appendReview(this.reviews.file, event.data.review, index);
      }
    }
  }

  private async insert(target: SqlTarget, table: string, key: Record<string, unknown>, row: object): Promise<void> {
    const where = Object.keys(key);
    const found = await target.client.$queryRawUnsafe<unknown[]>(
      `SELECT 1 AS present FROM ${table} WHERE ${where.map((column, i) => `${column} = ${placeholders(target.style, 1, i + 1)[0]}`).join(' AND ')}`,
      ...Object.values(key),
    );
    if (found.length > 0) return;
    const columns = Object.keys(row);
    await target.client.$executeRawUnsafe(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders(target.style, columns.length).join(', ')})`,
      ...Object.values(row),
    );
  }

  private async update(target: SqlTarget, table: string, set: Record<string, unknown>, key: Record<string, unknown>): Promise<void> {
    const columns = Object.keys(set);
    const marks = placeholders(target.style, columns.length + Object.keys(key).length);
    const sql =
      `UPDATE ${table} SET ${columns.map((column, i) => `${column} = ${marks[i]}`).join(', ')} ` +
      `WHERE ${Object.keys(key)
        .map((column, i) => `${column} = ${marks[columns.length + i]}`)
        .join(' AND ')}`;
    await target.client.$executeRawUnsafe(sql, ...Object.values(set), ...Object.values(key));
  }

  /** Appends the order's `index`-th review (from 0) unless the store already holds that many for the order. */
  private appendReview(file: string, review: ReviewDocument, index: number): void {
    const held = this.reviewsPerOrder.get(review.order_id) ?? 0;
    if (held > index) return;
    fs.appendFileSync(file, `${JSON.stringify(review)}\n`);
    this.reviewsPerOrder.set(review.order_id, held + 1);
  }

  async close(): Promise<void> {
    await Promise.all([this.crm.client.$disconnect(), this.orders.client.$disconnect()]);
  }
}

async function reviewsTarget(config: SourcesConfig): Promise<ReviewsTarget> {
  const reviews = config.sources.reviews;
  if (reviews.kind === 'jsonl') return { kind: 'jsonl', file: reviews.file };
  if (!reviews.writeToken) {
    throw new Error('sources.reviews.writeToken is not set: replay writes reviews through the review service (its REVIEWS_WRITE_TOKEN)');
  }
  return { kind: 'rest', service: await RestReviewsSource.open(reviews), writeToken: reviews.writeToken };
}
