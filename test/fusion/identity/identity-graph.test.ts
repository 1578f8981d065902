import { addressMatcher, exactKeyMatcher, IdentityGraph } from '../../../src/fusion';

/**
 * A second channel with no shared key (say, a physical store's loyalty accounts) joins the CRM's
 * people through the address matcher, without any change to the graph.
 */
describe('identity graph', () => {
  function crmGraph() {
    const graph = new IdentityGraph([exactKeyMatcher(), addressMatcher()]);
    graph.add({ system: 'crm', accountId: 'c1', personKey: 'p1', zipPrefix: '01037', city: 'sao paulo', state: 'SP' });
    graph.add({ system: 'crm', accountId: 'c2', personKey: 'p1', zipPrefix: '01037', city: 'sao paulo', state: 'SP' });
    graph.add({ system: 'crm', accountId: 'c3', personKey: 'p2', zipPrefix: '22290', city: 'rio de janeiro', state: 'RJ' });
    graph.add({ system: 'crm', accountId: 'c4', personKey: 'p3', zipPrefix: '22290', city: 'rio de janeiro', state: 'RJ' });
    return graph;
  }

  it('links CRM accounts to their person by the shared key, with certainty', () => {
    const graph = crmGraph();
    expect(graph.personCount).toBe(3);
    expect(graph.accountsOf('p1').map((link) => link.accountId)).toEqual(['c1', 'c2']);
    expect(graph.linkOf('crm', 'c2')).toEqual({ system: 'crm', accountId: 'c2', personId: 'p1', rule: 'exact:customer_unique_id', confidence: 1 });
  });

  it('links a keyless account by normalised address when exactly one person lives there', () => {
    const graph = crmGraph();
    const link = graph.add({ system: 'store', accountId: 's1', zipPrefix: '1037', city: 'São Paulo - SP', state: 'sp' });
    expect(link).toMatchObject({ personId: 'p1', rule: 'attribute:zip_prefix+city+state', confidence: 0.6 });
    expect(graph.accountsOf('p1').map((l) => `${l.system}:${l.accountId}`)).toEqual(['crm:c1', 'crm:c2', 'store:s1']);
  });

  it('does not guess when two people share the address, nor without an address', () => {
    const graph = crmGraph();
    expect(graph.add({ system: 'store', accountId: 's2', zipPrefix: '22290', city: 'Rio de Janeiro', state: 'RJ' })).toMatchObject({
      personId: 's2',
      rule: 'new-person',
    });
    expect(graph.add({ system: 'store', accountId: 's3', city: 'sao paulo' }).rule).toBe('new-person');
    expect(graph.personCount).toBe(5);
  });

  it('adding the same account twice changes nothing', () => {
    const graph = crmGraph();
    const first = graph.add({ system: 'store', accountId: 's1', zipPrefix: '01037', city: 'sao paulo', state: 'SP' });
    expect(graph.add({ system: 'store', accountId: 's1', zipPrefix: '99999', city: 'x', state: 'AC' })).toBe(first);
    expect(graph.accountCount).toBe(5);
  });
});
