import { DELIVERY_FEATURES, featureNames, manifestHash, RECOMMENDATION_FEATURES, taskManifest, type Task } from '../../../src/scoring/features';

/**
 * Pinned hashes: a change to any feature definition (name, order, kind, transform, fill, description)
 * changes them. Update the pin only together with a retrained model (npm run train).
 */
const PINNED: Record<Task, string> = {
  delivery_risk: '21ba4cdff658197a73fcf81bc3f78023c5a82691b02e3d5324c494c7b7d94468',
  recommendation: '0400369cc57874cd57b31ce644bfd4c78d7839cd91cb81406d8a06cb9d0c1591',
};

describe('feature manifest', () => {
  it.each(['delivery_risk', 'recommendation'] as Task[])('%s: hash is stable and pinned', (task) => {
    const a = taskManifest(task);
    const b = taskManifest(task);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(a.hash).toBe(PINNED[task]);
  });

  it('the hash changes with order, names, fill values and transforms', () => {
    const base = taskManifest('delivery_risk');
    const swapped = [base.features[1], base.features[0], ...base.features.slice(2)];
    expect(manifestHash('delivery_risk', swapped)).not.toBe(base.hash);
    const renamed = base.features.map((f, i) => (i === 3 ? { ...f, name: `${f.name}_v2` } : f));
    expect(manifestHash('delivery_risk', renamed)).not.toBe(base.hash);
    const refilled = base.features.map((f, i) => (i === 5 ? { ...f, fill: f.fill + 1 } : f));
    expect(manifestHash('delivery_risk', refilled)).not.toBe(base.hash);
    expect(manifestHash('recommendation', base.features)).not.toBe(base.hash);
  });

  it('names are unique, float32, and indices follow manifest order', () => {
    for (const task of ['delivery_risk', 'recommendation'] as Task[]) {
      const m = taskManifest(task);
      expect(new Set(featureNames(task)).size).toBe(m.features.length);
      m.features.forEach((f, i) => {
        expect(f.index).toBe(i);
        expect(f.dtype).toBe('float32');
        if (f.kind === 'categorical') expect(f.cardinality).toBeGreaterThan(1);
      });
    }
    expect(taskManifest('delivery_risk').features).toHaveLength(DELIVERY_FEATURES.length);
    expect(taskManifest('recommendation').features).toHaveLength(RECOMMENDATION_FEATURES.length);
  });

  it('every source family contributes to each task', () => {
    for (const task of ['delivery_risk', 'recommendation'] as Task[]) {
      const sources = new Set(taskManifest(task).features.map((f) => f.source));
      expect([...sources].sort()).toEqual(['catalog', 'crm', 'geography', 'orders', 'payments', 'reviews']);
    }
  });
});
