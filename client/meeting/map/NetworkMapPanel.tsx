import { createSignal, For } from 'solid-js';
import { MAP_LABEL_MAX } from '../../../shared/doc/entries.ts';
import { addPerson, CLOSENESS_LABELS, Closeness } from '../../../shared/doc/networkMap.ts';
import { useMeeting } from '../meetingContext.ts';
import { createNetworkMap } from './createNetworkMap.ts';
import { MapDrawing } from './MapDrawing.tsx';
import { MapList } from './MapList.tsx';

/** Who is important to the person, drawn together: a drawing to move people around in, and the same as a list. */
export function NetworkMapPanel() {
  const { networkDoc, about } = useMeeting();
  const map = createNetworkMap(networkDoc);
  const [name, setName] = createSignal('');
  const [relationship, setRelationship] = createSignal('');
  const [closeness, setCloseness] = createSignal<Closeness>(2);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (addPerson(networkDoc.doc, { name: name(), relationship: relationship(), closeness: closeness() })) {
      setName('');
      setRelationship('');
    }
  };
  return (
    <>
      <p class="hint">
        Who is important to {about.isYou ? 'you' : about.name}, at the centre? Anyone can add people, move them and connect them.
      </p>
      <form class="map-form compose" onSubmit={submit}>
        <div class="field">
          <label for="map-name">Name</label>
          <input id="map-name" type="text" maxLength={MAP_LABEL_MAX} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="map-relationship">Relationship</label>
          <input id="map-relationship" type="text" maxLength={MAP_LABEL_MAX} placeholder="for example: sister" value={relationship()} onInput={(e) => setRelationship(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="map-closeness">How close</label>
          <select id="map-closeness" value={String(closeness())} onChange={(e) => setCloseness(Closeness.parse(Number(e.currentTarget.value)))}>
            <For each={[1, 2, 3] as const}>{(c) => <option value={String(c)}>{CLOSENESS_LABELS[c]}</option>}</For>
          </select>
        </div>
        <button type="submit" disabled={!name().trim()}>
          Add to map
        </button>
      </form>
      <MapDrawing map={map} centreName={about.name} />
      <MapList map={map} />
    </>
  );
}
