/** The anomaly model's chronological split: fit on orders purchased before trainTo, tested on the orders from it on (the same test window as the other models; the first orders handed to the carrier before their purchase appear in 2018-04). */
export const ANOMALY_SPLIT = { trainTo: '2018-06-01' } as const;
