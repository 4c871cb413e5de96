import { createResource, Show } from 'solid-js';
import { useParams } from '@solidjs/router';
import type { NetworkDetail } from '../../../shared/api/networks.ts';
import type { ContinuityResponse } from '../../../shared/api/records.ts';
import { api, messageOf } from '../../lib/api.ts';
import { createTeamSession } from '../../lib/session.ts';
import { formatShort } from '../record/formatWhen.ts';
import { CLOCK_LABELS } from './CaseloadList.tsx';
import { ClosingSection } from './ClosingSection.tsx';
import { MapSection, QuestionsSection } from './ContinuitySections.tsx';
import { createNow } from './createNow.ts';
import { MeetingsSection } from './MeetingsSection.tsx';
import { MembersSection } from './MembersSection.tsx';
import { referralClock } from './referralClock.ts';
import { TeamHeader } from './TeamHeader.tsx';
import { TeamSection } from './TeamSection.tsx';
import { TimeZoneSection } from './TimeZoneSection.tsx';
import './team.css';

/**
 * One network for its team: the 24-hour clock, meetings (ahead, held, planning), the network members and
 * their links, the team and its changes, the open questions and the network map.
 */
export function NetworkPage() {
  const params = useParams<{ id: string }>();
  const session = createTeamSession();
  const [data, { refetch }] = createResource(
    () => params.id,
    async (id) => {
      const [detail, continuity] = await Promise.all([api.network(id), api.continuity(id)]);
      return { detail, continuity };
    },
  );
  return (
    <>
      <Show when={session.user()}>{(user) => <TeamHeader userName={user().name} isAdmin={user().isAdmin} />}</Show>
      <main class="page">
        <Show when={data.error as unknown}>
          <h1>We could not open this network</h1>
          <p role="alert">{messageOf(data.error)}</p>
        </Show>
        {/* `latest`, not `data()`: a refresh after each change keeps the page (and a link just made) on
            screen, where reading `data()` under the app's Suspense would swap it for the loading shell. */}
        <Show when={data.latest}>{(d) => <NetworkView detail={d().detail} continuity={d().continuity} refresh={() => void refetch()} />}</Show>
      </main>
    </>
  );
}

function NetworkView(props: { detail: NetworkDetail; continuity: ContinuityResponse; refresh: () => void }) {
  const network = () => props.detail.network;
  const now = createNow();
  const clock = () =>
    referralClock(network().referredAt, { heldAt: props.continuity.firstHeldAt, plannedAt: props.continuity.meetings.find((m) => m.status !== 'ended')?.scheduledAt }, now());
  return (
    <>
      <h1>Network of {network().personName}</h1>
      <p class="clock" data-state={clock().state}>
        <span class="clock-label">{CLOCK_LABELS[clock().state]}</span> {clock().text}. Referred {formatShort(network().referredAt)}.
      </p>
      <div class="network-sections">
        <MeetingsSection networkId={network().id} meetings={props.continuity.meetings} team={currentTeam(props.continuity)} refresh={props.refresh} />
        <MembersSection detail={props.detail} refresh={props.refresh} />
        <TeamSection networkId={network().id} history={props.continuity.teamHistory} refresh={props.refresh} />
        <QuestionsSection questions={props.continuity.questions} meetings={props.continuity.meetings} />
        <MapSection map={props.continuity.map} />
        <TimeZoneSection networkId={network().id} timeZone={network().timeZone} refresh={props.refresh} />
        <ClosingSection networkId={network().id} closedAt={props.continuity.closedAt} refresh={props.refresh} />
      </div>
    </>
  );
}

/** The team as it is now (people taken off it are not), to choose who comes to a meeting. */
function currentTeam(continuity: ContinuityResponse) {
  return continuity.teamHistory.filter((entry) => entry.unassignedAt === undefined).map((entry) => ({ id: entry.user.id, name: entry.user.name, role: entry.user.role }));
}
