import { createMemo, createSignal, type JSX, For, lazy, Show, Suspense } from 'solid-js';
import { readChat } from '../../../shared/doc/chat.ts';
import { readQuestions } from '../../../shared/doc/questions.ts';
import { getChat, getQuestions } from '../../../shared/doc/schema.ts';
import { ChatPanel } from '../chat/ChatPanel.tsx';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';
import { QuestionsPanel } from '../questions/QuestionsPanel.tsx';
import type { Phase } from '../reflecting/createPhase.ts';
import { ReflectionsPanel } from '../reflecting/ReflectionsPanel.tsx';
import { ConnectionBanner } from '../video/ConnectionBanner.tsx';
import type { LiveKitSession } from '../video/createLiveKitSession.ts';
import { VideoGrid } from '../video/VideoGrid.tsx';
import { WaitingForTeam } from '../video/WaitingForTeam.tsx';
import { VoicesPanel } from '../voices/VoicesPanel.tsx';
import { afterVideoStarts, panelsMayLoad } from './afterVideoStarts.ts';
import { createWideScreen } from './createWideScreen.ts';
import { SpaceTabs, type PanelId, type TabSpec } from './SpaceTabs.tsx';

// The notes editor (ProseMirror) and the map are fetched after the meeting's first frame, so a phone shows
// the video and the controls without waiting for them; each panel says it is loading until then.
const NotesPanel = lazy(afterVideoStarts(() => import('../notes/NotesPanel.tsx').then((m) => ({ default: m.NotesPanel }))));
const NetworkMapPanel = lazy(afterVideoStarts(() => import('../map/NetworkMapPanel.tsx').then((m) => ({ default: m.NetworkMapPanel }))));

type SpacePanelId = Exclude<PanelId, 'video'>;

const PANELS: { id: SpacePanelId; tab: string; heading: string; render: () => JSX.Element }[] = [
  { id: 'notes', tab: 'Notes', heading: 'Shared notes', render: () => <NotesPanel /> },
  { id: 'reflections', tab: 'Reflections', heading: 'Reflections', render: () => <ReflectionsPanel /> },
  { id: 'map', tab: 'Map', heading: 'Network map', render: () => <NetworkMapPanel /> },
  { id: 'questions', tab: 'Questions', heading: 'Open questions', render: () => <QuestionsPanel /> },
  { id: 'voices', tab: 'Voices', heading: 'Voices', render: () => <VoicesPanel /> },
  { id: 'chat', tab: 'Chat', heading: 'Chat', render: () => <ChatPanel /> },
];

/**
 * Video and the shared-space panels. On a laptop, video on the left and the panels, with tabs, on the right;
 * on a phone, Video is one more tab, showing everyone large, and with any other panel open a strip of small
 * tiles stays above it, so that the faces never disappear. Panels stay mounted when hidden,
 * so the editor keeps its place and undo history.
 */
export function SharedSpace(props: {
  session: LiveKitSession | undefined;
  unavailableReason: string | undefined;
  phase: Phase;
  /** A network member before any team member is here: a waiting word comes before the tiles. */
  waitingForTeam: boolean;
}) {
  const { meetingDoc, networkDoc, present } = useMeeting();
  const wide = createWideScreen();
  const [chosen, setChosen] = createSignal<PanelId>('video');
  // On a laptop video is always shown, so the "Video" tab does not exist there.
  const selected = createMemo<PanelId>(() => (wide() && chosen() === 'video' ? 'notes' : chosen()));

  const openQuestions = createDocSnapshot([getQuestions(networkDoc.doc)], () => readQuestions(networkDoc.doc).filter((q) => q.status === 'open').length);
  const chatCount = createDocSnapshot([getChat(meetingDoc.doc)], () => readChat(meetingDoc.doc).length);
  const [chatSeen, setChatSeen] = createSignal(chatCount());
  const select = (id: PanelId) => {
    setChosen(id);
    if (id === 'notes' || id === 'map') panelsMayLoad();
    if (id === 'chat') setChatSeen(chatCount());
  };
  const unreadChat = () => (selected() === 'chat' ? 0 : Math.max(0, chatCount() - chatSeen()));

  const tabs = createMemo<TabSpec[]>(() => [
    ...(wide() ? [] : [{ id: 'video' as const, label: 'Video' }]),
    ...PANELS.map((panel) => ({
      id: panel.id,
      label: panel.tab,
      badge:
        panel.id === 'questions' && openQuestions() > 0
          ? `(${openQuestions()} open)`
          : panel.id === 'chat' && unreadChat() > 0
            ? `(${unreadChat()} new)`
            : panel.id === 'reflections' && props.phase.phase() === 'reflecting'
              ? '(now)'
              : undefined,
    })),
  ]);

  // On a phone with a panel open, the faces stay in view as a strip of small tiles above the panel.
  const strip = () => !wide() && selected() !== 'video';

  return (
    <>
      {/* Above the tabs, so that "Reconnecting…" is seen whichever panel is open. */}
      <Show when={props.session}>{(s) => <ConnectionBanner session={s()} />}</Show>
      <div class="meeting-body" data-view={strip() ? 'strip' : 'full'}>
        <SpaceTabs tabs={tabs()} selected={selected()} onSelect={select} />
        <section
          class="video-area"
          classList={{ strip: strip() }}
          id="panel-video"
          role={wide() || strip() ? 'region' : 'tabpanel'}
          aria-labelledby={wide() || strip() ? 'video-heading' : 'tab-video'}
          hidden={strip() && !props.session}
          // It may scroll (many people on a phone, or a long strip): keyboard users must be able to scroll it too.
          tabindex="0"
        >
          <h2 id="video-heading" class="visually-hidden">
            Video
          </h2>
          <Show when={props.unavailableReason && !strip()}>
            <p class="notice" role="status">
              {props.unavailableReason}
            </p>
          </Show>
          <Show when={props.waitingForTeam && !strip()}>
            <WaitingForTeam othersHere={present().length - 1} />
          </Show>
          <Show when={props.session}>{(s) => <VideoGrid participants={s().participants} phase={props.phase.phase()} />}</Show>
        </section>
        <For each={PANELS}>
          {(panel) => (
            // Focusable (as the ARIA tabs pattern advises): a panel may scroll with nothing focusable in it (Voices),
            // and keyboard users must be able to scroll it too.
            <section class={`space-panel card panel-${panel.id}`} id={`panel-${panel.id}`} role="tabpanel" aria-labelledby={`panel-${panel.id}-heading`} hidden={selected() !== panel.id} tabindex="0">
              <h2 id={`panel-${panel.id}-heading`}>{panel.heading}</h2>
              <Suspense fallback={<p class="hint">Loading…</p>}>{panel.render()}</Suspense>
            </section>
          )}
        </For>
      </div>
    </>
  );
}
