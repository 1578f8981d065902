import fs from 'node:fs';
import type { SourcesConfig } from '../config/fusion-config';
import type { ChangeEvent, ReviewDocument } from '../events';
import { openSqlClient, placeholders, placeholderStyle, type PlaceholderStyle, type RawSqlClient } from '../sources';

interface SqlTarget {
  client: RawSqlClient;
  style: PlaceholderStyle;
}

/**
 * Writes history changes into the source systems a configuration names, as those systems would record them:
 * accounts into the CRM, orders, items and payments (and their status updates) into order management, review
 * documents appended to the JSONL review store. Each write is idempotent (a row already there is left alone,
 * a review already in the store is not appended again), so a replay resumed after a crash writes nothing twice.
 */
export class SourceWriter {
  private readonly reviewsPerOrder = new Map<string, number>();

  private constructor(
    private readonly crm: SqlTarget,
    private readonly orders: SqlTarget,
    private readonly reviewsFile: string | null,
  ) {}

  static open(config: SourcesConfig): SourceWriter {
    const target = (system: 'crm' | 'orders'): SqlTarget => {
      const source = config.sources[system];
      if (source.provider === 'sqlite' && !fs.existsSync(source.url))
        throw new Error(`sources.${system}: no SQLite file at ${source.url}: run the seed command first`);
      return { client: openSqlClient(system, source.provider, source.url), style: placeholderStyle(source.provider) };
    };
    const reviews = config.sources.reviews;
    const writer = new SourceWriter(target('crm'), target('orders'), reviews.kind === 'jsonl' ? reviews.file : null);
    if (writer.reviewsFile && fs.existsSync(writer.reviewsFile)) {
      for (const line of fs.readFileSync(writer.reviewsFile, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const orderId = (JSON.parse(line) as ReviewDocument).order_id;
        writer.reviewsPerOrder.set(orderId, (writer.reviewsPerOrder.get(orderId) ?? 0) + 1);
      }
    }
    return writer;
  }

  /** Whether the review store is a file this writer appends to (the review service is written by its owner). */
  get writesReviews(): boolean {
    return this.reviewsFile !== null;
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
      case 'review.added':
        return this.appendReview(event.data.review, Number(event.id.split(':').pop()));
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
  private appendReview(review: ReviewDocument, index: number): void {
    if (!this.reviewsFile) return;
    const held = this.reviewsPerOrder.get(review.order_id) ?? 0;
    if (held > index) return;
    fs.appendFileSync(this.reviewsFile, `${JSON.stringify(review)}\n`);
    this.reviewsPerOrder.set(review.order_id, held + 1);
  }

  async close(): Promise<void> {
    await Promise.all([this.crm.client.$disconnect(), this.orders.client.$disconnect()]);
  }
}
