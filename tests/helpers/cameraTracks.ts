/** Installed before the page loads: keeps every camera track the page captures, to check later that it stopped. */
export function recordCameraTracks(): void {
  const seen: MediaStreamTrack[] = [];
  (window as unknown as { __cameraTracks: MediaStreamTrack[] }).__cameraTracks = seen;
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    seen.push(...stream.getVideoTracks());
    return stream;
  };
}
