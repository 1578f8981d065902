import { stopReviewsService } from './reviews-upstream';

/** Stops what global-setup started for a production-like run (the review service), if anything. */
export default async function globalTeardown(): Promise<void> {
  await stopReviewsService();
}
