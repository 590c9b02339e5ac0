/** Splits a Retry-After in seconds into whole minutes and seconds for the "locked" message. */
export function splitDuration(seconds: number): { minutes: number; seconds: number } {
  const s = Math.max(0, Math.ceil(seconds));
  return { minutes: Math.floor(s / 60), seconds: s % 60 };
}
