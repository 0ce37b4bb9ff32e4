const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Whether `text` holds a lone UTF-16 surrogate (a string cut inside an emoji), i.e. is not
 * well-formed Unicode. Such text has no UTF-8 form: encoding turns each lone surrogate into
 * U+FFFD, so two different keys can meet, and neither reads back as written.
 *
 * @example
 * hasLoneSurrogate('\uD83D'); // true
 * hasLoneSurrogate('😀'); // false: a pair
 */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
