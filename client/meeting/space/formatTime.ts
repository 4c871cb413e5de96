/** "14:05" in the person's own locale and time zone. */
export function timeOfDay(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "3 March 2026" in the person's own locale. */
export function day(iso: string): string {
  return new Date(iso).toLocaleDateString([], { day: 'numeric', month: 'long', year: 'numeric' });
}

/** Plain words for a duration: "not heard yet", "40 seconds", "3 minutes", "1 minute 20 seconds". */
export function spokenFor(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole <= 0) return 'not heard yet';
  if (whole < 60) return `${whole} second${whole === 1 ? '' : 's'}`;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  const minuteText = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return rest === 0 || minutes >= 10 ? minuteText : `${minuteText} ${rest} second${rest === 1 ? '' : 's'}`;
}
