import type { ApolloServerPlugin } from '@apollo/server';
import {
  defaultFieldResolver,
  getNamedType,
  isCompositeType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  type ResponsePath,
} from 'graphql';
import type { ObservabilityConfig, ResolverSpanMode } from '../../config/observability-config';
import {
  contextFromTraceHeaders,
  endSpan,
  flushTracing,
  ROOT_CONTEXT,
  SpanKind,
  startSpan,
  startTracing,
  trace,
  traceHeadersOf,
  tracingEnabled,
  context as otelContext,
  type Span,
} from '../../observability';
import type { ServerRole } from '.';
import { errorCodeOf, operationOf } from './operation-facts';

/**
 * OpenTelemetry spans for GraphQL: one SERVER span per operation (child of the caller's W3C
 * `traceparent`, so a subgraph's operation nests under the router's), one span per resolver chosen by
 * `resolverSpans`, and the active context set around every resolver, so the source calls and model runs
 * it causes nest under it. A resolver's parent is found from its response path (graphql-js keeps the
 * parent's path object), not from async context, which graphql-js does not carry from a parent's
 * promise to its children. Nothing is installed while tracing is off.
 */
export function useTracing(settings: ObservabilityConfig['tracing'], role: ServerRole): ApolloServerPlugin | null {
  if (!settings.otlpEndpoint && !tracingEnabled()) return null;
  return {
    async serverWillStart({ schema }) {
      if (settings.otlpEndpoint) startTracing({ otlpEndpoint: settings.otlpEndpoint, serviceName: settings.serviceName });
      if (role !== 'router') traceResolvers(schema, settings.resolverSpans);
      // Spans still batched when the server stops (SIGTERM) are sent before it goes.
      return { serverWillStop: () => flushTracing() };
    },
    async requestDidStart(requestContext) {
      const headers = requestContext.request.http?.headers;
      const parent = contextFromTraceHeaders(headers?.get('traceparent'), headers?.get('tracestate'));
      const span = startSpan('graphql.operation', { 'fusion.server': role }, { parent, kind: SpanKind.SERVER });
      if (!span) return;
      operationTraces.set(requestContext.contextValue as object, { operation: span, resolvers: new WeakMap() });
      const codes = new Set<string>();
      return {
        async didResolveOperation({ operation }) {
          const { name, type } = operationOf({ operation });
          span.updateName(name === 'anonymous' ? type : `${type} ${name}`);
          span.setAttributes({ 'graphql.operation.name': name, 'graphql.operation.type': type });
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) codes.add(errorCodeOf(error));
        },
        async willSendResponse() {
          if (codes.size > 0) span.setAttribute('graphql.error.codes', [...codes]);
          endSpan(span, codes.size > 0 ? new Error(`GraphQL errors: ${[...codes].join(', ')}`) : undefined);
        },
      };
    },
  };
}

interface OperationTrace {
  operation: Span;
  /** Resolver spans by their field's response path object. */
  resolvers: WeakMap<ResponsePath, Span>;
}

/** Each request's spans, by its GraphQL context value (what every resolver receives). */
const operationTraces = new WeakMap<object, OperationTrace>();

/** The trace headers that make a downstream request (a router's subgraph fetch) a child of this request's operation span. */
export function traceHeadersFor(contextValue: unknown): Record<string, string> {
  const traced = typeof contextValue === 'object' && contextValue !== null ? operationTraces.get(contextValue) : undefined;
  return traced ? traceHeadersOf(traced.operation) : {};
}

const tracedSchemas = new WeakSet<GraphQLSchema>();

/** Wraps the schema's resolvers in place (once per schema). */
function traceResolvers(schema: GraphQLSchema, mode: ResolverSpanMode): void {
  if (tracedSchemas.has(schema)) return;
  tracedSchemas.add(schema);
  const rootTypes = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve) continue; // default property reads: nothing to time, nothing they call
      field.resolve = tracedResolver(type, field, field.resolve, wantsSpan(mode, rootTypes.has(type), field));
    }
  }
}

function wantsSpan(mode: ResolverSpanMode, isRootField: boolean, field: GraphQLField<unknown, unknown>): boolean {
  if (mode === 'all') return true;
  if (mode === 'none') return false;
  return isRootField || (mode === 'composite' && isCompositeType(getNamedType(field.type)));
}

function tracedResolver(
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  resolve: GraphQLFieldResolver<unknown, unknown> = defaultFieldResolver,
  ownSpan: boolean,
): GraphQLFieldResolver<unknown, unknown> {
  const spanName = `${type.name}.${field.name}`;
  return (source, args, contextValue, info) => {
    const traced = typeof contextValue === 'object' && contextValue !== null ? operationTraces.get(contextValue) : undefined;
    if (!traced) return resolve(source, args, contextValue, info);
    const parent = nearestSpan(traced, info.path.prev) ?? traced.operation;
    if (!ownSpan) return otelContext.with(trace.setSpan(ROOT_CONTEXT, parent), () => resolve(source, args, contextValue, info));
    const span = startSpan(
      spanName,
      { 'graphql.field.path': pathText(info.path), 'graphql.field.name': field.name, 'graphql.field.type': type.name },
      { parent: trace.setSpan(ROOT_CONTEXT, parent) },
    );
    if (!span) return resolve(source, args, contextValue, info);
    traced.resolvers.set(info.path, span);
    let result: unknown;
    try {
      result = otelContext.with(trace.setSpan(ROOT_CONTEXT, span), () => resolve(source, args, contextValue, info));
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
    if (isPromiseLike(result)) {
      return result.then(
        (value) => {
          endSpan(span);
          return value;
        },
        (error: unknown) => {
          endSpan(span, error);
          throw error;
        },
      );
    }
    endSpan(span, result instanceof Error ? result : undefined);
    return result;
  };
}

function nearestSpan(traced: OperationTrace, path: ResponsePath | undefined): Span | undefined {
  for (let at = path; at; at = at.prev) {
    const span = traced.resolvers.get(at);
    if (span) return span;
  }
  return undefined;
}

function pathText(path: ResponsePath): string {
  const keys: (string | number)[] = [];
  for (let at: ResponsePath | undefined = path; at; at = at.prev) keys.push(at.key);
  return keys.reverse().join('.');
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
