/**
 * subgraphs/users: people (User) and their CRM accounts. Owns Query.user, Query.users,
 * User.accounts and CustomerAccount. Reads the CRM and geography sources.
 */
import { buildFederatedSubgraph, type SubgraphDefinition } from '../common';
import { CustomerAccountResolver } from './customer-account.resolver';
import { userReference } from './user.reference';
import { UserResolver } from './user.resolver';

export function buildUsersSubgraph(): Promise<SubgraphDefinition> {
  return buildFederatedSubgraph('users', [UserResolver, CustomerAccountResolver], { User: userReference });
}
