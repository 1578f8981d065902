/**
 * The segments' chronological split (set before any evaluation): the clustering is fit on the
 * persons known at TRAIN_AS_OF, k chosen on a held-out validation sample of them; each segment's
 * next-period purchase rate and spend are measured on TRAIN_AS_OF .. TEST_AS_OF; the test is the
 * persons known at TEST_AS_OF, labelled with their purchases TEST_AS_OF .. TEST_TO.
 */
export const SEGMENT_SPLIT = { trainAsOf: '2018-03-01', testAsOf: '2018-06-01', testTo: '2018-09-01' } as const;
