/**
 * "the team", "Alex" or "Alex and Pete" or "Alex, Kim and Pete": whom the network is waiting for.
 *
 * Plain words with no Yjs in them, so that the invite page (the first screen a family opens) can say who
 * comes without loading the shared document's code.
 */
export function waitingForWhom(teamNames: readonly string[]): string {
  if (teamNames.length === 0) return 'the team';
  if (teamNames.length === 1) return teamNames[0] ?? 'the team';
  return `${teamNames.slice(0, -1).join(', ')} and ${teamNames.at(-1) ?? ''}`;
}
