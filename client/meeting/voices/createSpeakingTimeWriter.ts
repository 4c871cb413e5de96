import { onCleanup } from 'solid-js';
import { ParticipantEvent, type LocalParticipant } from 'livekit-client';
import type * as Y from 'yjs';
import type { Author } from '../../../shared/doc/entries.ts';
import { writeVoiceSeconds } from '../../../shared/doc/voices.ts';
import { createSpeakingClock } from './speakingClock.ts';

/** How often this client writes its own speaking time into the document. */
const WRITE_EVERY_MS = 2000;

/**
 * Measures the person's own speaking time from LiveKit's speaking events for the local participant and
 * writes the total into the document every couple of seconds (only when it changed), so that everyone's
 * voices chart moves. Each client writes only its own entry.
 */
export function createSpeakingTimeWriter(local: LocalParticipant, doc: Y.Doc, me: Author): void {
  const clock = createSpeakingClock();
  const onSpeaking = (speaking: boolean) => clock.speaking(speaking, performance.now());
  local.on(ParticipantEvent.IsSpeakingChanged, onSpeaking);
  const timer = setInterval(() => writeVoiceSeconds(doc, me, clock.seconds(performance.now())), WRITE_EVERY_MS);
  onCleanup(() => {
    local.off(ParticipantEvent.IsSpeakingChanged, onSpeaking);
    clearInterval(timer);
    writeVoiceSeconds(doc, me, clock.seconds(performance.now()));
  });
}
