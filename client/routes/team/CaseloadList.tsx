import { createResource, For, Show } from 'solid-js';
import { A } from '@solidjs/router';
import type { CaseloadEntry } from '../../../shared/api/records.ts';
import { api, messageOf } from '../../lib/api.ts';
import { formatShort } from '../record/formatWhen.ts';
import { createNow } from './createNow.ts';
import { byClockUrgency, referralClock } from './referralClock.ts';
import './team.css';

/**
 * The team's networks: for each, the 24-hour clock since referral, the next meeting and the team. Missed and
 * running clocks come first, re-ordered as time passes (a planned meeting whose time came unheld runs again).
 */
export function CaseloadList() {
  const [caseload] = createResource(() => api.caseload());
  const now = createNow();
  return (
    <>
      <Show when={caseload.error as unknown}>
        <p role="alert" class="error">
          {messageOf(caseload.error)}
        </p>
      </Show>
      <Show when={caseload()} fallback={<Show when={!caseload.error}><p>Loading networks…</p></Show>}>
        {(list) => (
          <Show when={list().networks.length > 0} fallback={<p>No networks yet. Open one below when a referral comes in.</p>}>
            <ul class="card-list caseload">
              <For each={byUrgency(list().networks, now())}>{(n) => <CaseloadRow network={n} now={now()} />}</For>
            </ul>
          </Show>
        )}
      </Show>
    </>
  );
}

function clockOf(network: CaseloadEntry, now: Date) {
  return referralClock(network.referredAt, { heldAt: network.firstHeldAt, plannedAt: network.nextMeeting?.scheduledAt }, now);
}

function byUrgency(networks: readonly CaseloadEntry[], now: Date): CaseloadEntry[] {
  return networks
    .map((network) => ({ network, referredAt: network.referredAt, clock: clockOf(network, now) }))
    .sort(byClockUrgency)
    .map((e) => e.network);
}

function CaseloadRow(props: { network: CaseloadEntry; now: Date }) {
  const clock = () => clockOf(props.network, props.now);
  return (
    <li class="card caseload-row">
      <h2 class="caseload-name">
        <A href={`/networks/${props.network.id}`}>{props.network.personName}</A>
      </h2>
      <p class="clock" data-state={clock().state}>
        <span class="clock-label">{CLOCK_LABELS[clock().state]}</span> {clock().text}. Referred {formatShort(props.network.referredAt)}.
      </p>
      <p>
        <strong>Next meeting:</strong>{' '}
        {props.network.nextMeeting ? `${formatShort(props.network.nextMeeting.scheduledAt)}${props.network.nextMeeting.status === 'live' ? ' (happening now)' : ''}` : 'none planned'}
      </p>
      <p>
        <strong>Team:</strong> {props.network.team.length ? props.network.team.map((t) => t.name).join(', ') : 'nobody assigned'}
      </p>
    </li>
  );
}

/** A word before the sentence, so the state does not rest on colour alone. */
export const CLOCK_LABELS = { running: 'Clock running:', planned: 'On track:', met: 'Met:', missed: 'Missed:' } as const;
