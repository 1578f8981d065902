import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { PageInfo } from './page-info.type';

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** A number, or a promise computed only when a client asks for it. */
  readonly totalCount: number | Promise<number>;
}

/**
 * Declares `<Name>Edge` and `<Name>Connection` for a node type (Relay cursor connections spec).
 * Shareable: two subgraphs may page the same node type (e.g. Query.products and Seller.products).
 */
export function ConnectionType<T extends object>(name: string, NodeClass: ClassType<T>): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`)
  @Directive('@shareable')
  class EdgeClass {
    @Field(() => NodeClass)
    node!: T;

    @Field()
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  @Directive('@shareable')
  class ConnectionClass {
    @Field(() => [EdgeClass])
    edges!: Edge<T>[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return ConnectionClass as unknown as ClassType<Connection<T>>;
}
