import { rememberLast } from './remember-last.js';

/**
 * A fan-out hands the same frame strings to every session, and at the end of the turn each session
 * encodes what it holds. Remembering the last list encoded (compared element by element, which for
 * the shared strings is a pointer comparison) lets every session with the same frames write the same
 * bytes: encoded once per fan-out, not once per recipient.
 */
export const sharedEncoder = <T>(
  encode: (frames: readonly string[]) => T,
): ((frames: readonly string[]) => T) => rememberLast(encode, sameFrames);

function sameFrames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
