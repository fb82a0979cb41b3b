import { describe, expect, it } from '@jest/globals';
import { ObjectId } from 'bson';
import { applyUpdate, buildUpsertDocument } from '../../src/db/embedded/update-document.js';

describe('applyUpdate', () => {
  const id = new ObjectId();
  const stored = Object.freeze({ _id: id, name: 'Ani', savings: { wajib: 10000, pokok: 50000 }, tags: ['a'], visits: 1 });

  it.each([
    ['$inc on a nested field', { $inc: { 'savings.wajib': 5000 } }, { savings: { wajib: 15000, pokok: 50000 } }],
    ['$inc creating a field', { $inc: { 'savings.sukarela': 2000 } }, { savings: { wajib: 10000, pokok: 50000, sukarela: 2000 } }],
    ['$set creating a nested path', { $set: { 'address.city': 'Bandar Lampung' } }, { address: { city: 'Bandar Lampung' } }],
    ['$unset of a nested field', { $unset: { 'savings.pokok': '' } }, { savings: { wajib: 10000 } }],
    ['$mul on a missing field', { $mul: { bonus: 3 } }, { bonus: 0 }],
    ['$push through mingo', { $push: { tags: 'b' } }, { tags: ['a', 'b'] }],
    ['positional $ through mingo', { $set: { 'tags.$': 'z' } }, { tags: ['z'] }],
  ])('%s', (_name, update, expected) => {
    const { doc, modified } = applyUpdate(stored, update, { query: { tags: 'a' } });
    expect(modified).toBe(true);
    expect(doc).toMatchObject(expected);
    expect(doc._id).toBe(id);
  });

  it('reports no modification when nothing changes and never mutates the stored document', () => {
    expect(applyUpdate(stored, { $set: { name: 'Ani' } }).modified).toBe(false);
    expect(applyUpdate(stored, { $inc: { visits: 0 } }).modified).toBe(false);
    expect(applyUpdate(stored, { $unset: { 'missing.path': '' } }).modified).toBe(false);
    expect(stored.savings).toEqual({ wajib: 10000, pokok: 50000 });
  });

  it('refuses $inc on a string with code 14 and changing _id with code 66', () => {
    expect(() => applyUpdate({ _id: 1, qty: 'lima' }, { $inc: { qty: 1 } })).toThrow(expect.objectContaining({ code: 14 }));
    expect(() => applyUpdate({ _id: 1 }, { $set: { _id: 2 } })).toThrow(expect.objectContaining({ code: 66 }));
    expect(() => applyUpdate({ _id: 1, a: 1 }, { $set: { a: 2 }, $inc: { a: 1 } })).toThrow(expect.objectContaining({ code: 40 }));
  });

  it('keeps _id first for replacements and pipeline updates', () => {
    expect(Object.keys(applyUpdate({ _id: 1, a: 1 }, { b: 2 }).doc)).toEqual(['_id', 'b']);
    const piped = applyUpdate({ _id: 1, a: 2 }, [{ $set: { double: { $multiply: ['$a', 2] } } }]).doc;
    expect(piped).toEqual({ _id: 1, a: 2, double: 4 });
  });
});

describe('buildUpsertDocument', () => {
  it('seeds equality fields and _id from the filter, then applies $setOnInsert', () => {
    const doc = buildUpsertDocument({ _id: 'x', coopId: 'c1', status: { $in: ['a'] } }, { $setOnInsert: { createdBy: 'sms' }, $inc: { n: 1 } });
    expect(doc).toEqual({ _id: 'x', coopId: 'c1', createdBy: 'sms', n: 1 });
  });

  it('creates an ObjectId when the filter has no _id and ignores $set of _id', () => {
    const doc = buildUpsertDocument({ phone: '+628' }, { $set: { name: 'B' } });
    expect(doc._id).toBeInstanceOf(ObjectId);
    expect(Object.keys(doc)).toEqual(['_id', 'phone', 'name']);
  });
});
