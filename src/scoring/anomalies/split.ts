/** The anomaly model's chronological split: fit on orders purchased before TRAIN_TO, tested on the orders from it on. */
export const ANOMALY_SPLIT = { trainTo: '2018-01-01' } as const;
