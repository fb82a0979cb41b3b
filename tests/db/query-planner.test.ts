import { describe, expect, it } from '@jest/globals';
import { ObjectId, type Document } from 'bson';
import { Query } from 'mingo';
import { Collection, encodeId } from '../../src/db/embedded/collection.js';
import { planCandidateIds } from '../../src/db/embedded/query-planner.js';

function buildCollection(): Collection {
  const collection = new Collection('kdmp', 'orders');
  collection.addIndex({ v: 2, key: { phone: 1 }, name: 'phone_1', unique: true });
  collection.addIndex({ v: 2, key: { coopId: 1, status: 1 }, name: 'coopId_1_status_1' });
  collection.addIndex({ v: 2, key: { note: 1 }, name: 'note_1', sparse: true });
  collection.addIndex({ v: 2, key: { region: 1, coopId: 1, day: -1 }, name: 'region_1_coopId_1_day_-1' });
  for (let i = 0; i < 1000; i++) {
    const doc = {
      _id: new ObjectId(),
      phone: `+62812${i}`,
      coopId: `coop-${i % 10}`,
      status: i % 2 ? 'paid' : 'new',
      note: 'x',
      region: `r${i % 2}`,
      day: i % 50,
    };
    collection.put(encodeId(doc._id), doc);
  }
  return collection;
}

describe('query planner', () => {
  const collection = buildCollection();
  const [firstId] = collection.docs.keys();
  const first = collection.docs.get(firstId)!;

  it('answers an _id equality from the id map', () => {
    expect(planCandidateIds(collection, { _id: first._id })).toEqual(new Set([firstId]));
  });

  it('answers a unique-field equality from its index', () => {
    expect(planCandidateIds(collection, { phone: first.phone, status: 'x' })).toEqual(new Set([firstId]));
  });

  it('uses a full compound key, and the leading field alone', () => {
    expect(planCandidateIds(collection, { coopId: 'coop-3', status: 'paid' })?.size).toBe(100);
    expect(planCandidateIds(collection, { coopId: { $in: ['coop-1', 'coop-2'] } })?.size).toBe(200);
    expect(planCandidateIds(collection, { $and: [{ coopId: 'coop-4' }, { status: { $ne: 'x' } }] })?.size).toBe(100);
  });

  it('uses the longest run of leading fields of a compound index', () => {
    expect(planCandidateIds(collection, { region: 'r1' })?.size).toBe(500);
    expect(planCandidateIds(collection, { region: 'r1', coopId: 'coop-3' })?.size).toBe(100);
    expect(planCandidateIds(collection, { region: 'r1', coopId: 'coop-3', day: 3 })?.size).toBe(20);
  });

  it('unions $or branches when each branch is indexed', () => {
    expect(planCandidateIds(collection, { $or: [{ phone: first.phone }, { _id: first._id }, { coopId: 'coop-1' }] })?.size).toBe(101);
    expect(planCandidateIds(collection, { $or: [{ phone: first.phone }, { status: 'paid' }] })).toBeUndefined();
  });

  it('scans when no complete index applies', () => {
    expect(planCandidateIds(collection, { status: 'paid' })).toBeUndefined();
    expect(planCandidateIds(collection, { note: 'x' })).toBeUndefined();
    expect(planCandidateIds(collection, { phone: /^\+62/ })).toBeUndefined();
  });

  it('never misses a match: index candidates always contain every document the filter matches', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const values: unknown[] = ['a', 'b', 1, 2, null, undefined, ['a', 'c'], [1, 'b'], [], { x: 1 }];
    const pickValue = () => values[random(values.length)];
    const messy = new Collection('kdmp', 'messy');
    messy.addIndex({ v: 2, key: { tag: 1 }, name: 'tag_1' });
    messy.addIndex({ v: 2, key: { 'meta.kind': 1, tag: 1 }, name: 'meta.kind_1_tag_1' });
    for (let i = 0; i < 300; i++) {
      const doc: Document = { _id: i };
      const tag = pickValue();
      if (tag !== undefined) doc.tag = tag;
      const kind = pickValue();
      if (random(3) === 0) doc.meta = [{ kind }, { kind: pickValue() }];
      else if (kind !== undefined) doc.meta = { kind };
      messy.put(encodeId(i), doc);
    }
    const scalars = ['a', 'b', 'c', 1, 2, null];
    const pickScalar = () => scalars[random(scalars.length)];
    for (let round = 0; round < 300; round++) {
      const filters: Document[] = [
        { tag: pickScalar() },
        { tag: { $in: [pickScalar(), pickScalar()] } },
        { 'meta.kind': pickScalar() },
        { 'meta.kind': pickScalar(), tag: { $eq: pickScalar() } },
        { $and: [{ 'meta.kind': pickScalar() }, { tag: pickScalar() }] },
        { $or: [{ tag: pickScalar() }, { _id: random(300) }] },
        { tag: { x: 1 } },
      ];
      for (const filter of filters) {
        const candidates = planCandidateIds(messy, filter) ?? new Set(messy.docs.keys());
        const query = new Query(filter);
        const missed = [...messy.docs.entries()].filter(([id, doc]) => query.test(doc) && !candidates.has(id));
        expect({ filter, missed: missed.map(([, doc]) => doc) }).toEqual({ filter, missed: [] });
      }
    }
  });
});
