import { getMapConnections, getMapPeople } from '../../../shared/doc/schema.ts';
import { readNetworkMap } from '../../../shared/doc/networkMap.ts';
import type { SharedDoc } from '../doc/createSharedDoc.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';

/** The network map as Solid sees it. */
export function createNetworkMap(networkDoc: SharedDoc) {
  const doc = networkDoc.doc;
  return createDocSnapshot([getMapPeople(doc), getMapConnections(doc)], () => readNetworkMap(doc));
}

export type NetworkMapView = ReturnType<typeof createNetworkMap>;
