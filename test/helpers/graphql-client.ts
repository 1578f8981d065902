import { print, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { adminCredential, type Credential } from './credentials';

export interface HttpGraphQLResponse<TData> {
  status: number;
  body: ExecutionResult<TData> & { errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] };
  text: string;
}

/** POSTs a typed operation to a running server over real HTTP, as `as` (default: an admin token). */
export async function execute<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables?: TVariables,
  as?: Credential,
): Promise<HttpGraphQLResponse<TData>> {
  return postQuery<TData>(url, print(document), variables as Record<string, unknown> | undefined, as);
}

/** POSTs raw query text (for hostile or malformed input that codegen would reject), as `as` (default: an admin token). */
export async function postQuery<TData = unknown>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  as?: Credential,
): Promise<HttpGraphQLResponse<TData>> {
  const credential = as ?? (await adminCredential());
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credential.headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}
