import { describe, expect, it } from 'vitest';
import { foreignKeyOrder, type ForeignKey } from './foreignKeyOrder.ts';

const key = (table: string, column: string, references: string, nullable = false): ForeignKey => ({ table, column, references, nullable });

describe('foreignKeyOrder', () => {
  it('puts every table after the tables it references', () => {
    const order = foreignKeyOrder(['invites', 'members', 'networks', 'users'], [key('invites', 'member_id', 'members'), key('members', 'network_id', 'networks'), key('networks', 'created_by', 'users', true)]);
    expect(order.tables).toEqual(['users', 'networks', 'members', 'invites']);
    expect(order.deferred.size).toBe(0);
  });

  it('breaks a cycle at its nullable column, and defers no nullable column off the cycle', () => {
    const order = foreignKeyOrder(
      ['meetings', 'network_members', 'networks'],
      [key('meetings', 'network_id', 'networks', true), key('network_members', 'network_id', 'networks'), key('networks', 'person_member_id', 'network_members', true)],
    );
    expect(order.tables).toEqual(['networks', 'meetings', 'network_members']);
    expect(order.deferred).toEqual(new Map([['networks', ['person_member_id']]]));
  });

  it('defers a nullable reference to the same table, and ignores keys to tables it does not copy', () => {
    const order = foreignKeyOrder(['people'], [key('people', 'parent_id', 'people', true), key('people', 'org_id', 'elsewhere')]);
    expect(order).toEqual({ tables: ['people'], deferred: new Map([['people', ['parent_id']]]) });
  });

  it('refuses a cycle through columns that cannot be NULL', () => {
    expect(() => foreignKeyOrder(['a', 'b'], [key('a', 'b_id', 'b'), key('b', 'a_id', 'a')])).toThrow(/cycle/);
  });
});
