import { ErrorCode } from '../../shared';
import { errorBody } from '../http/graphql-http-server';
import type { HttpPlugin } from '../http/http-plugin';

/**
 * Rejects variables nested deeper than `maxDepth` (400 BAD_USER_INPUT) before anything walks them:
 * graphql-js coerces (and JSON.stringify serialises) nested values recursively, so a 10,000-deep
 * array would otherwise overflow the stack there and surface as a 500. Checked without recursion.
 */
export function useVariablesDepth(maxDepth: number): HttpPlugin {
  return {
    name: 'variables-depth',
    onGraphQLRequest(exchange) {
      const variables = exchange.graphql?.variables;
      if (variables === null || typeof variables !== 'object' || depthExceeds(variables, maxDepth) === false) return;
      return { status: 400, body: errorBody(`Variables are nested deeper than ${maxDepth} levels`, ErrorCode.BadUserInput, { limit: maxDepth }) };
    },
  };
}

function depthExceeds(root: object, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(value)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}
