import * as Y from 'yjs';
import { z } from 'zod';
import { asEntryMap, cleanText, LOCAL_ORIGIN, MAP_LABEL_MAX, newEntryId } from './entries.ts';
import { getMapConnections, getMapPeople } from './schema.ts';

/** Size of the map's drawing area, in map units; the centre is where the person at the centre stands. */
export const MAP_SIZE = { width: 600, height: 480 } as const;
/** Centre of the map. */
export const MAP_CENTRE = { x: MAP_SIZE.width / 2, y: MAP_SIZE.height / 2 } as const;
/** Radius of the guide ring for each closeness (1 = very close). */
export const CLOSENESS_RADIUS: Record<Closeness, number> = { 1: 75, 2: 145, 3: 215 };
/** Plain words for each closeness. */
export const CLOSENESS_LABELS: Record<Closeness, string> = { 1: 'very close', 2: 'close', 3: 'less close' };

export const Closeness = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Closeness = z.infer<typeof Closeness>;

/** A person on the map. `x`/`y` are map units within {@link MAP_SIZE}. */
export interface MapPerson {
  id: string;
  name: string;
  relationship: string;
  closeness: Closeness;
  x: number;
  y: number;
}

/** A line between two people on the map. */
export const MapConnection = z.object({ id: z.string(), from: z.string(), to: z.string() });
export type MapConnection = z.infer<typeof MapConnection>;

/** The map as one snapshot: people sorted by name, and only connections whose both ends exist. */
export function readNetworkMap(doc: Y.Doc): { people: MapPerson[]; connections: MapConnection[] } {
  const people: MapPerson[] = [];
  for (const [id, value] of getMapPeople(doc).entries()) {
    const person = readPerson(id, value);
    if (person) people.push(person);
  }
  people.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const ids = new Set(people.map((p) => p.id));
  const connections: MapConnection[] = [];
  for (const value of getMapConnections(doc).values()) {
    const parsed = MapConnection.safeParse(value);
    if (parsed.success && ids.has(parsed.data.from) && ids.has(parsed.data.to)) connections.push(parsed.data);
  }
  connections.sort((a, b) => a.id.localeCompare(b.id));
  return { people, connections };
}

/**
 * Adds a person, placed on the guide ring of their closeness at an angle that spreads people out.
 * Returns the new id, or `undefined` when the name is blank.
 */
export function addPerson(doc: Y.Doc, input: { name: string; relationship: string; closeness: Closeness }): string | undefined {
  const name = cleanText(input.name, MAP_LABEL_MAX);
  if (!name) return undefined;
  const id = newEntryId();
  const angle = getMapPeople(doc).size * 2.399963; // the golden angle: neighbours never land on top of each other
  const radius = CLOSENESS_RADIUS[input.closeness];
  doc.transact(() => {
    const person = new Y.Map<unknown>();
    getMapPeople(doc).set(id, person);
    person.set('name', name);
    person.set('relationship', cleanText(input.relationship, MAP_LABEL_MAX) ?? '');
    person.set('closeness', input.closeness);
    const position = clampToMap(MAP_CENTRE.x + radius * Math.cos(angle), MAP_CENTRE.y + radius * Math.sin(angle));
    person.set('x', position.x);
    person.set('y', position.y);
  }, LOCAL_ORIGIN);
  return id;
}

/** Changes a person's closeness. */
export function setCloseness(doc: Y.Doc, id: string, closeness: Closeness): void {
  const person = personMap(doc, id);
  if (person) doc.transact(() => person.set('closeness', closeness), LOCAL_ORIGIN);
}

/** Moves a person, kept inside the map. */
export function movePerson(doc: Y.Doc, id: string, x: number, y: number): void {
  const person = personMap(doc, id);
  if (!person) return;
  const position = clampToMap(x, y);
  doc.transact(() => {
    person.set('x', position.x);
    person.set('y', position.y);
  }, LOCAL_ORIGIN);
}

/** Removes a person and every connection they had. */
export function removePerson(doc: Y.Doc, id: string): void {
  const connections = getMapConnections(doc);
  doc.transact(() => {
    getMapPeople(doc).delete(id);
    for (const [key, value] of [...connections.entries()]) {
      const parsed = MapConnection.safeParse(value);
      if (!parsed.success || parsed.data.from === id || parsed.data.to === id) connections.delete(key);
    }
  }, LOCAL_ORIGIN);
}

/**
 * Connects two people. Returns the connection id, the existing one if they are already connected (either
 * way round), or `undefined` for a person connected to themselves or someone not on the map.
 */
export function connectPeople(doc: Y.Doc, from: string, to: string): string | undefined {
  if (from === to || !personMap(doc, from) || !personMap(doc, to)) return undefined;
  const existing = readNetworkMap(doc).connections.find((c) => (c.from === from && c.to === to) || (c.from === to && c.to === from));
  if (existing) return existing.id;
  const connection: MapConnection = { id: newEntryId(), from, to };
  doc.transact(() => getMapConnections(doc).set(connection.id, connection), LOCAL_ORIGIN);
  return connection.id;
}

/** Removes one connection. */
export function disconnectPeople(doc: Y.Doc, connectionId: string): void {
  doc.transact(() => getMapConnections(doc).delete(connectionId), LOCAL_ORIGIN);
}

/** A position inside the map, with a margin so a person's label stays visible. */
export function clampToMap(x: number, y: number): { x: number; y: number } {
  const margin = 30;
  const clamp = (value: number, max: number) => Math.round(Math.min(Math.max(Number.isFinite(value) ? value : max / 2, margin), max - margin));
  return { x: clamp(x, MAP_SIZE.width), y: clamp(y, MAP_SIZE.height) };
}

function personMap(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  return asEntryMap(getMapPeople(doc).get(id));
}

function readPerson(id: string, entry: unknown): MapPerson | undefined {
  const value = asEntryMap(entry);
  if (!value) return undefined;
  const name = value.get('name');
  const relationship = value.get('relationship');
  const closeness = Closeness.safeParse(value.get('closeness'));
  const x = value.get('x');
  const y = value.get('y');
  if (typeof name !== 'string' || !name || typeof relationship !== 'string' || !closeness.success) return undefined;
  if (typeof x !== 'number' || typeof y !== 'number') return undefined;
  return { id, name, relationship, closeness: closeness.data, ...clampToMap(x, y) };
}
