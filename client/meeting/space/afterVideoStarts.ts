/**
 * The notes editor and the network map are fetched once the meeting's video has started, not beside it: on
 * a cheap phone their code (about 70 KB compressed) and the work of starting them would otherwise be taken
 * from the first frame of the people in the room. Until then each panel says it is loading.
 *
 * The wait ends when the video says it is showing, or has nothing to show (see createLiveKitSession), or
 * when there is no video at all (MeetingRoom); it never lasts longer than MAX_WAIT_MS, so the notes come
 * whatever happens to the video. Once over it stays over: the code is in the browser from then on.
 */
const MAX_WAIT_MS = 5_000;

let release: () => void = () => undefined;
const started = new Promise<void>((resolve) => {
  release = resolve;
});

/** The meeting's video is showing a first frame, cannot, or does not exist: the panels may load. */
export function videoHasStarted(): void {
  release();
}

/** A loader for `lazy()` that waits for the video to start (at most MAX_WAIT_MS) before it fetches. */
export function afterVideoStarts<T>(load: () => Promise<T>): () => Promise<T> {
  return async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([started, new Promise<void>((resolve) => (timer = setTimeout(resolve, MAX_WAIT_MS)))]);
    clearTimeout(timer);
    return load();
  };
}
