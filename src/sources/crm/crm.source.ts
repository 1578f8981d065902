import type { CrmClient } from '../sql';
import { Prisma, type Customer } from '../../../generated/prisma/crm/client';
import { alignMany, alignOne } from '../align';
import { prismaKeyedReads, type KeyedReads } from '../sql/keyed-reads';
import { NO_MEMO, type ResultMemo } from '../sql/result-memo';

export type CustomerRecord = Customer;

export interface CrmModels {
  Customer: Customer;
}

export interface PersonPageQuery {
  state?: string;
  afterPersonId?: string;
  limit: number;
}

/** CRM connector: customer accounts and the person ids (customer_unique_id) that group them. */
export class CrmSource {
  readonly name = 'crm';

  constructor(
    private readonly client: CrmClient,
    /** The by-key batches (./sql/keyed-reads.ts): straight SQLite reads in the embedded default. */
    private readonly keyed: KeyedReads<CrmModels> = prismaKeyedReads<CrmModels>(client),
    /** Counts kept until the store changes (./sql/result-memo.ts): the embedded default's SQLite file. */
    private readonly memo: ResultMemo = NO_MEMO,
  ) {}

  /** Every account (reconciliation scans). */
  async allAccounts(): Promise<CustomerRecord[]> {
    return this.client.customer.findMany();
  }

  /** Each account's raw state, for grouping by it (one narrow scan; callers cache it). */
  async accountStates(): Promise<{ customerId: string; state: string }[]> {
    return this.client.customer.findMany({ select: { customerId: true, state: true } });
  }

  /** The accounts of the persons who own more than one account (the only ones a distinct-person count must fold). */
  async sharedPersonAccounts(): Promise<{ customerId: string; personId: string }[]> {
    const rows = await this.client.$queryRaw<{ customer_id: string; customer_unique_id: string }[]>`SELECT customer_id, customer_unique_id FROM customers
      WHERE customer_unique_id IN (SELECT customer_unique_id FROM customers GROUP BY customer_unique_id HAVING COUNT(*) > 1)`;
    return rows.map((row) => ({ customerId: row.customer_id, personId: row.customer_unique_id }));
  }

  async accountsByIds(customerIds: readonly string[]): Promise<(CustomerRecord | null)[]> {
    const rows = await this.keyed.rowsWhereIn('Customer', 'customerId', customerIds);
    return alignOne(customerIds, rows, (row) => row.customerId);
  }

  async accountsByPersonIds(personIds: readonly string[]): Promise<CustomerRecord[][]> {
    const rows = await this.keyed.rowsWhereIn('Customer', 'customerUniqueId', personIds, ['customerId']);
    return alignMany(personIds, rows, (row) => row.customerUniqueId);
  }

  /** Distinct person ids in id order, optionally only those with an account in `state`. */
  async personIdsPage(query: PersonPageQuery): Promise<string[]> {
    const rows = await this.client.customer.groupBy({
      by: ['customerUniqueId'],
      where: {
        ...(query.state !== undefined ? { state: query.state } : {}),
        ...(query.afterPersonId !== undefined ? { customerUniqueId: { gt: query.afterPersonId } } : {}),
      },
      orderBy: { customerUniqueId: 'asc' },
      take: query.limit,
    });
    return rows.map((row) => row.customerUniqueId);
  }

  async countPersons(state?: string): Promise<number> {
    return this.memo.remember(`countPersons ${JSON.stringify(state ?? null)}`, async () => {
      // Prisma's tagged template numbers the parameter as each engine wants (`?` or `$1`).
      const where = state !== undefined ? Prisma.sql`WHERE customer_state = ${state}` : Prisma.empty;
      const rows = await this.client.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(DISTINCT customer_unique_id) AS n FROM customers ${where}`;
      return Number(rows[0].n);
    });
  }
}
