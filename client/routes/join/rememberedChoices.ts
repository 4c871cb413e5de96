import { z } from 'zod';
import { DisplayName } from '../../../shared/api/displayName.ts';

/**
 * What this device remembers of the person's pre-join choices, so that the next visit, and "Join again"
 * after leaving, start as they left them: above all a camera kept off stays off.
 */
export interface RememberedChoices {
  /** True unless the person turned the camera on: nobody's camera starts before they have chosen it. */
  audioOnly: boolean;
  /** Only devices the person picked from a list; otherwise the system's default is used. */
  cameraId: string | undefined;
  microphoneId: string | undefined;
  speakerId: string | undefined;
  displayName: string | undefined;
}

/** The localStorage key. The record is per browser profile, shared by every meeting opened in it. */
export const REMEMBERED_CHOICES_KEY = 'polyphony.joinChoices';
/** Where earlier versions kept only the name (a bare string); still read, and cleared once saved anew. */
export const LEGACY_NAME_KEY = 'polyphony.displayName';

const NOTHING_REMEMBERED: RememberedChoices = {
  audioOnly: true,
  cameraId: undefined,
  microphoneId: undefined,
  speakerId: undefined,
  displayName: undefined,
};

// Browsers' device ids are opaque strings (Chromium: 64 hex digits, or "default"); anything far longer is not one.
const DeviceId = z.string().min(1).max(256).optional().catch(undefined);

/**
 * Each field is checked on its own: one that is damaged (edited by hand, written by another version) is
 * dropped, the others are kept. A damaged camera choice falls back to "off", never to "on".
 */
const Stored = z.object({
  audioOnly: z.boolean().catch(true),
  cameraId: DeviceId,
  microphoneId: DeviceId,
  speakerId: DeviceId,
  displayName: DisplayName.optional().catch(undefined),
});

/** Reads a stored record; anything that is not one (missing, not JSON, not an object) is "nothing remembered". */
export function parseRememberedChoices(raw: string | null, legacyName: string | null = null): RememberedChoices {
  const legacy = legacyName === null ? undefined : DisplayName.safeParse(legacyName).data;
  let value: unknown;
  try {
    value = raw === null ? undefined : JSON.parse(raw);
  } catch {
    value = undefined;
  }
  const parsed = Stored.safeParse(value);
  if (!parsed.success) return { ...NOTHING_REMEMBERED, displayName: legacy };
  const { audioOnly, cameraId, microphoneId, speakerId, displayName } = parsed.data;
  return { audioOnly, cameraId, microphoneId, speakerId, displayName: displayName ?? legacy };
}

/** The storage this module uses: a tiny part of the Web Storage API, so tests can pass their own. */
export type ChoiceStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What this device remembers; "nothing" where storage is unavailable (blocked cookies, some private modes). */
export function readRememberedChoices(storage: ChoiceStorage | undefined = deviceStorage()): RememberedChoices {
  if (!storage) return NOTHING_REMEMBERED;
  try {
    return parseRememberedChoices(storage.getItem(REMEMBERED_CHOICES_KEY), storage.getItem(LEGACY_NAME_KEY));
  } catch {
    return NOTHING_REMEMBERED;
  }
}

/** Remembers a change on top of what is already remembered. Never throws: a full or blocked storage only forgets. */
export function rememberChoices(change: Partial<RememberedChoices>, storage: ChoiceStorage | undefined = deviceStorage()): void {
  if (!storage) return;
  const next = { ...readRememberedChoices(storage), ...change };
  try {
    storage.setItem(REMEMBERED_CHOICES_KEY, JSON.stringify(next));
    storage.removeItem(LEGACY_NAME_KEY);
  } catch {
    // Quota exceeded or storage disabled: the choice still holds for this visit.
  }
}

/** localStorage, or undefined where merely touching it throws (Safari with storage blocked). */
function deviceStorage(): ChoiceStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
