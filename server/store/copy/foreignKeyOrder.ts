/** A foreign key of the target schema: `table.column` references `references`. */
export interface ForeignKey {
  table: string;
  column: string;
  references: string;
  /** Whether the column may hold NULL: only such a column can be filled in after the rows it points at. */
  nullable: boolean;
}

/** The order to insert tables in, and the columns to insert as NULL first and set once every table is in. */
export interface InsertOrder {
  tables: string[];
  /** Per table, the columns that close a cycle of foreign keys (e.g. networks.person_member_id). */
  deferred: Map<string, string[]>;
}

/**
 * Every table after the tables it references, so that each insert finds the rows it points at (the target
 * checks foreign keys at each statement: they are not deferrable). Where the keys form a cycle (a network
 * names its person, a member belongs to a network) the cycle is broken at a nullable column on it, which is
 * inserted as NULL and set afterwards; no column off a cycle is deferred. Ties are broken by name, so the
 * order is the same on every run.
 */
export function foreignKeyOrder(tables: readonly string[], keys: readonly ForeignKey[]): InsertOrder {
  const remaining = [...tables].sort();
  const placed = new Set<string>();
  const deferred = new Map<string, string[]>();
  const unmet = (table: string) =>
    keys.filter((key) => key.table === table && remaining.includes(key.references) && !placed.has(key.references) && !deferred.get(table)?.includes(key.column));
  while (remaining.length > 0) {
    const ready = remaining.find((table) => unmet(table).length === 0);
    if (ready === undefined) {
      defer(deferred, cycleBreaker(remaining, unmet));
      continue;
    }
    remaining.splice(remaining.indexOf(ready), 1);
    placed.add(ready);
  }
  return { tables: [...placed], deferred };
}

/** A nullable key on a cycle of unmet keys (its target leads back to its table), the first by table name. */
function cycleBreaker(remaining: readonly string[], unmet: (table: string) => ForeignKey[]): ForeignKey {
  const leadsTo = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const queue = [from];
    for (let table = queue.shift(); table !== undefined; table = queue.shift()) {
      if (table === to) return true;
      if (seen.has(table)) continue;
      seen.add(table);
      queue.push(...unmet(table).map((key) => key.references));
    }
    return false;
  };
  for (const table of remaining) {
    const key = unmet(table).find((each) => each.nullable && leadsTo(each.references, table));
    if (key) return key;
  }
  throw new Error(`the foreign keys of ${remaining.join(', ')} form a cycle through columns that cannot be NULL`);
}

function defer(deferred: Map<string, string[]>, key: ForeignKey): void {
  const columns = deferred.get(key.table) ?? [];
  columns.push(key.column);
  deferred.set(key.table, columns);
}
