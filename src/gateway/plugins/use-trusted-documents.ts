import { ANONYMOUS, type Role } from '../../security';
import { canonicalDocument, documentHash, type TrustedDocumentManifest } from '../../security/limits';
import { ErrorCode } from '../../shared';
import { errorBody } from '../http/graphql-http-server';
import type { HttpExchange, HttpPlugin, HttpReply } from '../http/http-plugin';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Callers of the `requiredFor` roles (partners) may run only the manifest's documents: by hash
 * (`extensions.persistedQuery.sha256Hash`, or `documentId`, optionally `sha256:`-prefixed) or by a
 * full text whose canonical form is in the manifest. An unknown hash → 400 PERSISTED_QUERY_NOT_FOUND,
 * any other document → 400 OPERATION_NOT_TRUSTED. Such a request never reaches Apollo's automatic
 * persisted queries, so a partner cannot register a document of its own.
 */
export function useTrustedDocuments(options: { requiredFor: readonly Role[]; manifest: TrustedDocumentManifest }): HttpPlugin {
  const requiredFor = new Set(options.requiredFor);
  const reject = (status: number, message: string, code: ErrorCode): HttpReply => ({ status, body: errorBody(message, code) });
  return {
    name: 'trusted-documents',
    onGraphQLRequest(exchange) {
      if (!requiredFor.has((exchange.principal ?? ANONYMOUS).role)) return;
      const request = exchange.graphql as (Record<string, unknown> & { extensions?: unknown }) | undefined;
      if (!request) return reject(400, 'Send a trusted document: a persisted operation hash', ErrorCode.OperationNotTrusted);
      const extensions = isObject(request.extensions) ? request.extensions : {};
      const persisted = isObject(extensions.persistedQuery) ? extensions.persistedQuery : undefined;
      const documentId = typeof request.documentId === 'string' ? request.documentId : exchange.url.searchParams.get('documentId');
      const hash = typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : documentId?.replace(/^sha256:/, '');
      if (hash !== undefined && hash !== null) {
        const document = options.manifest.get(hash);
        if (document === undefined) return reject(400, `No trusted document has the hash ${hash.slice(0, 80)}`, ErrorCode.PersistedQueryNotFound);
        if (typeof request.query === 'string' && hashOf(request.query) !== hash) {
          return reject(400, 'The query is not the trusted document of this hash', ErrorCode.OperationNotTrusted);
        }
        runInstead(exchange, request, extensions, document);
        return;
      }
      if (typeof request.query !== 'string') return reject(400, 'Send a trusted document: a persisted operation hash', ErrorCode.OperationNotTrusted);
      if (!options.manifest.has(hashOf(request.query) ?? '')) {
        return reject(400, 'Only trusted documents may be run with this credential', ErrorCode.OperationNotTrusted);
      }
    },
  };
}

function hashOf(query: string): string | undefined {
  try {
    return documentHash(canonicalDocument(query));
  } catch {
    return undefined; // not a document at all
  }
}

/** Hands Apollo the trusted text in place of the hash (a POST body, or a GET's query string). */
function runInstead(exchange: HttpExchange, request: Record<string, unknown>, extensions: Record<string, unknown>, document: string): void {
  request.query = document;
  delete request.documentId;
  delete extensions.persistedQuery;
  if (exchange.request.method === 'GET') {
    const search = exchange.url.searchParams;
    search.set('query', document);
    search.delete('documentId');
    search.delete('extensions');
  }
}
