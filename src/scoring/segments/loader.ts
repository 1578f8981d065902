/** The per-request DataLoader of User.segment: every person of one nesting level in one batch, answered from the SegmentIndex. */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { PersonSegment, SegmentIndex } from './segment-index';

export interface UserSegment extends PersonSegment {
  modelVersion: string;
  asOf: string;
}

export function createSegmentLoader(index: () => Promise<SegmentIndex>) {
  return new DataLoader<string, UserSegment | null>(async (personIds) => {
    try {
      const segments = await index();
      return personIds.map((id) => {
        const segment = segments.of(id);
        return segment ? { ...segment, modelVersion: segments.modelVersion, asOf: segments.asOfText } : null;
      });
    } catch (error) {
      const coded = error instanceof GraphQLError ? error : new Error(error instanceof Error ? error.message : String(error));
      return personIds.map(() => coded);
    }
  });
}
