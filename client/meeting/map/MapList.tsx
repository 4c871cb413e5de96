import { createSignal, For, Show } from 'solid-js';
import { CLOSENESS_LABELS, Closeness, connectPeople, disconnectPeople, removePerson, setCloseness } from '../../../shared/doc/networkMap.ts';
import { useMeeting } from '../meetingContext.ts';
import type { NetworkMapView } from './createNetworkMap.ts';

/** The same map as a list: the view for small screens and screen readers, with every action of the drawing. */
export function MapList(props: { map: NetworkMapView }) {
  const { networkDoc } = useMeeting();
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const nameOf = (id: string) => props.map().people.find((p) => p.id === id)?.name ?? '';
  const connectedTo = (id: string) =>
    props.map().connections.flatMap((c) => (c.from === id ? [nameOf(c.to)] : c.to === id ? [nameOf(c.from)] : []));
  const connect = (event: SubmitEvent) => {
    event.preventDefault();
    if (connectPeople(networkDoc.doc, from(), to())) {
      setFrom('');
      setTo('');
    }
  };
  return (
    <section class="map-list" aria-labelledby="map-list-heading">
      <h3 id="map-list-heading" class="list-heading">People on the map ({props.map().people.length})</h3>
      <ul class="entry-list" aria-label="People on the map">
        <For each={props.map().people} fallback={<li class="empty">Nobody on the map yet.</li>}>
          {(person) => (
            <li class="entry map-entry">
              <p class="entry-text">
                <strong>{person.name}</strong>
                {person.relationship ? ` — ${person.relationship}` : ''}
              </p>
              <Show when={connectedTo(person.id).length > 0}>
                <p class="entry-meta">Connected with {connectedTo(person.id).join(', ')}</p>
              </Show>
              <div class="row wrap">
                <label class="visually-hidden" for={`closeness-${person.id}`}>
                  How close is {person.name}
                </label>
                <select id={`closeness-${person.id}`} value={String(person.closeness)} onChange={(e) => setCloseness(networkDoc.doc, person.id, Closeness.parse(Number(e.currentTarget.value)))}>
                  <For each={[1, 2, 3] as const}>{(c) => <option value={String(c)}>{CLOSENESS_LABELS[c]}</option>}</For>
                </select>
                <button type="button" class="small" onClick={() => removePerson(networkDoc.doc, person.id)}>
                  Remove {person.name}
                </button>
              </div>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.map().people.length >= 2}>
        <form class="map-form compose" onSubmit={connect}>
          <div class="field">
            <label for="connect-from">Connect</label>
            <select id="connect-from" value={from()} onChange={(e) => setFrom(e.currentTarget.value)}>
              <option value="">Choose a person</option>
              <For each={props.map().people}>{(p) => <option value={p.id}>{p.name}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="connect-to">with</label>
            <select id="connect-to" value={to()} onChange={(e) => setTo(e.currentTarget.value)}>
              <option value="">Choose a person</option>
              <For each={props.map().people}>{(p) => <option value={p.id}>{p.name}</option>}</For>
            </select>
          </div>
          <button type="submit" disabled={!from() || !to() || from() === to()}>
            Connect
          </button>
        </form>
      </Show>
      <Show when={props.map().connections.length > 0}>
        <ul class="entry-list" aria-label="Connections">
          <For each={props.map().connections}>
            {(link) => (
              <li class="entry row wrap">
                <span>
                  {nameOf(link.from)} and {nameOf(link.to)}
                </span>
                <button type="button" class="small" onClick={() => disconnectPeople(networkDoc.doc, link.id)}>
                  Remove connection between {nameOf(link.from)} and {nameOf(link.to)}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
