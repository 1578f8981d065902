import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { AccountView } from '../../fusion';
import { assertOlistId, decodeCursor, pageSize } from '../../shared';
import { ConnectionArgs, connectionFromKeysetPage, stateCodeArgument, type Connection, type SubgraphContext } from '../common';
import { CustomerAccount } from './customer-account.type';
import { UserConnection } from './user.connection';
import { User } from './user.type';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'A person, by person id or by any of their account ids' })
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<User | null> {
    return ctx.data.person(assertOlistId(id));
  }

  @Query(() => UserConnection, { nullable: true, description: 'People in person-id order, optionally those with an account in a state' })
  async users(
    @Args() args: ConnectionArgs,
    @Arg('state', () => String, { nullable: true }) state: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Connection<User>> {
    const limit = pageSize(args.first);
    const stateCode = stateCodeArgument(state);
    const afterPersonId = args.after ? String(decodeCursor(args.after, 1)[0]) : undefined;
    const people = await ctx.data.peoplePage({ state: stateCode, afterPersonId, limit: limit + 1 });
    return connectionFromKeysetPage(
      people,
      limit,
      (user) => [user.id],
      afterPersonId !== undefined,
      () => ctx.data.countPeople(stateCode),
    );
  }

  @FieldResolver(() => [CustomerAccount], { description: 'Every CRM account of this person, by account id' })
  async accounts(@Root() user: User, @Ctx() ctx: SubgraphContext): Promise<AccountView[]> {
    return ctx.data.accountsOfPerson(user.id);
  }
}
