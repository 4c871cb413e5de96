import type { RecordMap } from '../../shared/api/records.ts';
import { CLOSENESS_LABELS, CLOSENESS_RADIUS, MAP_CENTRE, MAP_SIZE } from '../../shared/doc/networkMap.ts';

/** The map without its drawing: what the drawing is made from. */
export type MapContent = Omit<RecordMap, 'svg'>;

/**
 * The network map as a standalone SVG document, drawn as the meeting draws it (closeness rings, the person at
 * the centre, lines for connections, people with their name and relationship). Everything is inline (no
 * script, no link, no font or image fetched) and every label is escaped, so the same text is safe as an
 * image in the record page and inside the page Chromium prints. Names are real text, so a PDF made from it
 * keeps them searchable; black, greys and line styles keep it readable in black-and-white print.
 */
export function networkMapSvg(map: MapContent): string {
  const byId = new Map(map.people.map((p) => [p.id, p]));
  const rings = ([3, 2, 1] as const).map(
    (c) =>
      `<circle cx="${MAP_CENTRE.x}" cy="${MAP_CENTRE.y}" r="${CLOSENESS_RADIUS[c]}" fill="none" stroke="#9a9ea5" stroke-width="2" stroke-dasharray="6 6"/>` +
      `<text x="${MAP_CENTRE.x}" y="${MAP_CENTRE.y - CLOSENESS_RADIUS[c] + 20}" text-anchor="middle" font-size="15" fill="#4a5058">${xml(CLOSENESS_LABELS[c])}</text>`,
  );
  const lines = map.connections.flatMap((c) => {
    const from = byId.get(c.from);
    const to = byId.get(c.to);
    return from && to ? [`<line x1="${num(from.x)}" y1="${num(from.y)}" x2="${num(to.x)}" y2="${num(to.y)}" stroke="#3d4046" stroke-width="3"/>`] : [];
  });
  const people = map.people.map(
    (p) =>
      `<g transform="translate(${num(p.x)} ${num(p.y)})">` +
      `<circle r="20" fill="${p.closeness === 1 ? '#b9d0f0' : '#dce8f8'}" stroke="#1a5fb4" stroke-width="3"/>` +
      `<text y="44" text-anchor="middle" font-size="20" font-weight="700" fill="#1f2328">${xml(p.name)}</text>` +
      (p.relationship ? `<text y="64" text-anchor="middle" font-size="16" fill="#3d4046">${xml(p.relationship)}</text>` : '') +
      '</g>',
  );
  const title = `Network map with ${map.centreName} at the centre`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${MAP_SIZE.width} ${MAP_SIZE.height}" width="${MAP_SIZE.width}" height="${MAP_SIZE.height}" role="img" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">`,
    `<title>${xml(title)}</title>`,
    `<rect width="${MAP_SIZE.width}" height="${MAP_SIZE.height}" fill="#fbfaf7" stroke="#c9ccd1"/>`,
    ...rings,
    ...lines,
    `<circle cx="${MAP_CENTRE.x}" cy="${MAP_CENTRE.y}" r="7" fill="#3d4046"/>`,
    `<text x="${MAP_CENTRE.x}" y="${MAP_CENTRE.y + 32}" text-anchor="middle" font-size="22" font-weight="700" fill="#1f2328">${xml(map.centreName)}</text>`,
    ...people,
    '</svg>',
  ].join('');
}

/** A coordinate as written into the SVG: finite, rounded (the document may hold anything). */
function num(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value)) : '0';
}

function xml(text: string): string {
  // Control characters are not allowed in XML at all: one in a name would make the whole drawing unreadable.
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
