import { createSignal, For, Show } from 'solid-js';
import { CLOSENESS_LABELS, CLOSENESS_RADIUS, clampToMap, connectPeople, MAP_CENTRE, MAP_SIZE, movePerson, type MapPerson } from '../../../shared/doc/networkMap.ts';
import { useMeeting } from '../meetingContext.ts';
import type { NetworkMapView } from './createNetworkMap.ts';

const STEP = 10;
const BIG_STEP = 40;
// While dragging, the document is written at most this often; the drawing follows the pointer in between.
const DRAG_WRITE_MS = 120;

/**
 * The map drawn on an SVG canvas: guide rings for closeness, lines for connections, people as circles.
 * Move a person by dragging or, once focused, with the arrow keys; select one person and then another
 * (click, Enter or Space) to connect them.
 */
export function MapDrawing(props: { map: NetworkMapView; centreName: string }) {
  const { networkDoc } = useMeeting();
  const [dragging, setDragging] = createSignal<{ id: string; x: number; y: number }>();
  const [selected, setSelected] = createSignal<string>();
  let svg: SVGSVGElement | undefined;

  const positionOf = (person: MapPerson) => {
    const drag = dragging();
    return drag?.id === person.id ? drag : person;
  };
  const byId = (id: string) => props.map().people.find((p) => p.id === id);
  const ends = (fromId: string, toId: string) => {
    const from = byId(fromId);
    const to = byId(toId);
    return from && to ? { from, to } : undefined;
  };
  const choose = (person: MapPerson) => {
    const first = selected();
    if (first === undefined) {
      setSelected(person.id);
      return;
    }
    if (first !== person.id) connectPeople(networkDoc.doc, first, person.id);
    setSelected(undefined);
  };
  const toMap = (event: PointerEvent) => {
    const matrix = svg?.getScreenCTM()?.inverse();
    if (!svg || !matrix) return undefined;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix);
    return clampToMap(point.x, point.y);
  };

  const startDrag = (person: MapPerson, event: PointerEvent) => {
    const target = event.currentTarget as SVGGElement;
    target.setPointerCapture(event.pointerId);
    const start = { x: event.clientX, y: event.clientY };
    let moved = false;
    let lastWrite = 0;
    const onMove = (move: PointerEvent) => {
      if (!moved && Math.hypot(move.clientX - start.x, move.clientY - start.y) < 4) return;
      moved = true;
      const point = toMap(move);
      if (!point) return;
      setDragging({ id: person.id, ...point });
      if (move.timeStamp - lastWrite > DRAG_WRITE_MS) {
        lastWrite = move.timeStamp;
        movePerson(networkDoc.doc, person.id, point.x, point.y);
      }
    };
    const onUp = () => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
      target.removeEventListener('pointercancel', onUp);
      const drag = dragging();
      if (moved && drag) movePerson(networkDoc.doc, person.id, drag.x, drag.y);
      setDragging(undefined);
      if (!moved) choose(person);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
    target.addEventListener('pointercancel', onUp);
  };

  const onKey = (person: MapPerson, event: KeyboardEvent) => {
    const step = event.shiftKey ? BIG_STEP : STEP;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const delta = moves[event.key];
    if (delta) {
      event.preventDefault();
      movePerson(networkDoc.doc, person.id, person.x + delta[0], person.y + delta[1]);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      choose(person);
    } else if (event.key === 'Escape') {
      setSelected(undefined);
    }
  };

  return (
    <figure class="map-figure">
      <svg ref={svg} class="map-drawing" viewBox={`0 0 ${MAP_SIZE.width} ${MAP_SIZE.height}`} role="group" aria-label={`Network map drawing, with ${props.centreName} at the centre`} aria-describedby="map-drawing-help">
        <For each={[3, 2, 1] as const}>
          {(c) => (
            <g class="map-ring" aria-hidden="true">
              <circle cx={MAP_CENTRE.x} cy={MAP_CENTRE.y} r={CLOSENESS_RADIUS[c]} />
              <text x={MAP_CENTRE.x} y={MAP_CENTRE.y - CLOSENESS_RADIUS[c] + 20} text-anchor="middle">
                {CLOSENESS_LABELS[c]}
              </text>
            </g>
          )}
        </For>
        <circle class="map-centre" cx={MAP_CENTRE.x} cy={MAP_CENTRE.y} r="7" aria-hidden="true" />
        <text class="map-centre-name" x={MAP_CENTRE.x} y={MAP_CENTRE.y + 32} text-anchor="middle" aria-hidden="true">
          {props.centreName}
        </text>
        <For each={props.map().connections}>
          {(link) => (
            <Show when={ends(link.from, link.to)}>
              {(pair) => {
                const a = () => positionOf(pair().from);
                const b = () => positionOf(pair().to);
                return <line class="map-link" x1={a().x} y1={a().y} x2={b().x} y2={b().y} aria-hidden="true" />;
              }}
            </Show>
          )}
        </For>
        <For each={props.map().people}>
          {(person) => (
            <g
              class="map-person"
              classList={{ selected: selected() === person.id }}
              data-closeness={person.closeness}
              transform={`translate(${positionOf(person).x} ${positionOf(person).y})`}
              tabindex="0"
              role="button"
              aria-pressed={selected() === person.id}
              aria-label={`${person.name}${person.relationship ? `, ${person.relationship}` : ''}, ${CLOSENESS_LABELS[person.closeness]}`}
              onPointerDown={(e) => startDrag(person, e)}
              onKeyDown={(e) => onKey(person, e)}
            >
              <circle r="20" />
              {/* One text element, so the visible text reads "Gran grandmother" with a space, as its name does. */}
              <text y="44" text-anchor="middle">
                <tspan class="map-name">{person.name}</tspan>
                <Show when={person.relationship}>
                  <tspan class="map-relationship" x="0" dy="22">
                    {' '}
                    {person.relationship}
                  </tspan>
                </Show>
              </text>
            </g>
          )}
        </For>
      </svg>
      <figcaption id="map-drawing-help" class="hint">
        {selected() !== undefined
          ? 'Now choose the person to connect with (or press Escape).'
          : 'Drag a person to move them, or focus them and use the arrow keys. Choose one person and then another to connect them.'}
      </figcaption>
    </figure>
  );
}
