import { accountView, personIdOfAccount, resolvePersonId, type AccountView } from '../fusion';
import { forbidden } from '../shared';
import { canSee, mayListPeople, mayScoreFor } from './row-scope';
import type { RequestReads } from './request-reads';

/** A person as the graph keys it. */
export interface PersonKey {
  id: string;
}

/** People (identity-resolved from the CRM) and their accounts. */
export function peopleView({ loaders, sources, principal }: RequestReads) {
  return {
    /** A person by person id or by any of their account ids; null when unknown or out of the caller's scope. */
    async person(id: string): Promise<PersonKey | null> {
      const personId = await resolvePersonId(loaders, id);
      return personId && (await canSee(principal, loaders, 'User', personId)) ? { id: personId } : null;
    },

    /** A person by person id (an entity reference): known to the CRM and within the caller's scope, else null. */
    async personById(personId: string): Promise<PersonKey | null> {
      if (!(await canSee(principal, loaders, 'User', personId))) return null;
      return (await loaders.accountsByPersonId.load(personId)).length > 0 ? { id: personId } : null;
    },

    /** People in person-id order after `afterPersonId`, optionally those with an account in a state (BI and admins; empty for anyone else). */
    async peoplePage(query: { state?: string; afterPersonId?: string; limit: number }): Promise<PersonKey[]> {
      if (!mayListPeople(principal)) return [];
      return (await sources.crm.personIdsPage(query)).map((id) => ({ id }));
    },

    /** How many people `peoplePage` would list over all pages. */
    async countPeople(state: string | undefined): Promise<number> {
      return mayListPeople(principal) ? sources.crm.countPersons(state) : 0;
    },

    /** Every CRM account of a person the caller reached, by account id. */
    async accountsOfPerson(personId: string): Promise<AccountView[]> {
      return (await loaders.accountsByPersonId.load(personId)).map(accountView);
    },

    /** A person the caller may have products scored for (a customer: only themself); FORBIDDEN otherwise. */
    personToScore(personId: string): string {
      if (!mayScoreFor(principal, personId)) throw forbidden('Product.score for another person');
      return personId;
    },

    /** The person who holds a CRM account (identity resolution), or null. */
    async personOfAccount(accountId: string): Promise<PersonKey | null> {
      const personId = await personIdOfAccount(loaders, accountId);
      return personId ? { id: personId } : null;
    },
  };
}

export type PeopleView = ReturnType<typeof peopleView>;
