import { z } from 'zod';
import type { ReviewDocument } from '../sources/reviews/reviews.source';

/** The review system's document fields (the Kaggle columns); order_id and review_score are required. */
const reviewDocumentSchema = z
  .object({
    order_id: z.string().min(1),
    review_score: z.number().int().min(1).max(5),
    review_id: z.string().min(1).optional(),
    review_comment_title: z.string().nullable().optional(),
    review_comment_message: z.string().nullable().optional(),
    review_creation_date: z.string().nullable().optional(),
    review_answer_timestamp: z.string().nullable().optional(),
  })
  .strict();

const MAX_REVIEWS_PER_ORDER = 1000;

export type ReviewWrite = { ok: true; orderId: string; index: number; document: ReviewDocument } | { ok: false; error: string };

/** Checks a PUT /reviews/{orderId}/{index} request: the slot and the body, each problem named. */
export function parseReviewWrite(orderId: string, rawIndex: string, body: string): ReviewWrite {
  if (!/^\d+$/.test(rawIndex) || Number(rawIndex) >= MAX_REVIEWS_PER_ORDER) {
    return { ok: false, error: `the review index must be an integer 0..${MAX_REVIEWS_PER_ORDER - 1}, got "${rawIndex}"` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    return { ok: false, error: `the body is not JSON: ${(error as Error).message}` };
  }
  const parsed = reviewDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`);
    return { ok: false, error: `the body is not a review document: ${problems.join('; ')}` };
  }
  if (parsed.data.order_id !== orderId) {
    return { ok: false, error: `the body's order_id "${parsed.data.order_id}" is not the order of the path "${orderId}"` };
  }
  return { ok: true, orderId, index: Number(rawIndex), document: parsed.data };
}

/** Same fields, same values, whatever their order. */
export function sameDocument(a: ReviewDocument, b: ReviewDocument): boolean {
  const canonical = (document: ReviewDocument) => JSON.stringify(Object.entries(document).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return canonical(a) === canonical(b);
}
