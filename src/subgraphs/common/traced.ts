import { Ctx, Directive, Field, FieldResolver, ObjectType, Resolver, Root, type ClassType } from 'type-graphql';
import { provenanceOf, type DataFlag as DataFlagView, type FieldProvenanceView, type Resolved, type Traced } from '../../fusion';
import type { SubgraphContext } from './context';

@ObjectType({ description: 'A cleaning rule or conflict policy that found something wrong or suspicious in a source record' })
@Directive('@shareable')
export class DataFlag {
  @Field({ description: 'The rule or policy name (see Query.fusionRules)' })
  rule!: string;

  @Field({ description: 'The graph field it concerns' })
  field!: string;

  @Field()
  message!: string;
}

@ObjectType({ description: 'Where one field of an entity came from' })
@Directive('@shareable')
export class FieldProvenance {
  @Field()
  field!: string;

  @Field({ description: 'Source system: crm, catalog, orders, reviews or geography' })
  source!: string;

  @Field({ description: 'The record within that source, e.g. orders/<order_id>' })
  record!: string;

  @Field(() => String, { nullable: true, description: 'The value as the source holds it' })
  rawValue!: string | null;

  @Field(() => [String], { description: 'Cleaning rules that changed the value' })
  rules!: string[];

  @Field(() => String, { nullable: true, description: 'The conflict policy that chose this source, if several gave a value' })
  policy!: string | null;
}

/**
 * Adds `flags` and `provenance` to an entity whose views carry a fusion trace. Subclasses add the
 * flags that need other records (`extraFlags`) and the fields a conflict policy decided (`resolvedFields`).
 * Both are computed only when a client selects them.
 */
export function TracedResolver<V extends Traced>(typeFn: () => ClassType, columns: Readonly<Record<string, string>>) {
  @Resolver(typeFn)
  abstract class TracedResolverBase {
    protected async extraFlags(_view: V, _ctx: SubgraphContext): Promise<DataFlagView[]> {
      return [];
    }

    protected async resolvedFields(_view: V, _ctx: SubgraphContext): Promise<Record<string, Resolved<unknown>>> {
      return {};
    }

    @FieldResolver(() => [DataFlag], { description: 'What the fusion rules found wrong or suspicious in this record' })
    async flags(@Root() view: V, @Ctx() ctx: SubgraphContext): Promise<DataFlagView[]> {
      const resolved = Object.values(await this.resolvedFields(view, ctx)).flatMap((decision) => (decision.flag ? [decision.flag] : []));
      return [...view.trace.flags, ...resolved, ...(await this.extraFlags(view, ctx))];
    }

    @FieldResolver(() => [FieldProvenance], { description: 'Source, record, raw value and rules behind each field' })
    async provenance(@Root() view: V, @Ctx() ctx: SubgraphContext): Promise<FieldProvenanceView[]> {
      return provenanceOf(view, columns, await this.resolvedFields(view, ctx));
    }
  }
  return TracedResolverBase;
}
