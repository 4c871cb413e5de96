/**
 * The notes editor and the network map are fetched once the meeting's video has started, not beside it: on
 * a cheap phone their code (about 70 KB compressed) and the work of starting them would otherwise be taken
 * from the first frame of the people in the room. Until then each panel says it is loading.
 *
 * The wait ends when the video says it is showing, or has nothing to show (see createLiveKitSession), when
 * there is no video at all (MeetingRoom), or when the person opens Notes or the Map (SharedSpace): a phone
 * showing another tab hides the video, which then never starts. It never lasts longer than MAX_WAIT_MS.
 * Once over it stays over: the code is in the browser from then on.
 */
const MAX_WAIT_MS = 5_000;

let release: () => void = () => undefined;
const started = new Promise<void>((resolve) => {
  release = resolve;
});

/** The meeting's video is showing a first frame, cannot, or does not exist, or the panels are asked for: they may load. */
export function panelsMayLoad(): void {
  release();
}

/** Resolves once the video has started (or cannot, or the panels are asked for), at most MAX_WAIT_MS from now. */
async function videoStarted(): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([started, new Promise<void>((resolve) => (timer = setTimeout(resolve, MAX_WAIT_MS)))]);
  clearTimeout(timer);
}

/** A loader for `lazy()` that waits for the video to start (at most MAX_WAIT_MS) before it fetches. */
export function afterVideoStarts<T>(load: () => Promise<T>): () => Promise<T> {
  return async () => {
    await videoStarted();
    return load();
  };
}
