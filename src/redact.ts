/** Secrets this short are only replaced whole; a prefix of at least this length counts as the secret. */
const MIN_PREFIX = 8;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A pattern for the secret or any prefix of it of MIN_PREFIX characters or more (text
 * cut in the middle of a secret still holds most of it): `abcdefgh(?:i(?:j…)?)?`.
 */
function prefixPattern(secret: string): string {
  let tail = '';
  for (let i = secret.length - 1; i >= MIN_PREFIX; i--) tail = `(?:${escapeRegExp(secret[i]!)}${tail})?`;
  return `${escapeRegExp(secret.slice(0, MIN_PREFIX))}${tail}`;
}

/**
 * Replaces every occurrence of the secrets with `***`, and every prefix of 8 characters
 * or more of one (what is left of a secret where a text was cut); for anything printed
 * or passed on.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  // Shorter values would blank ordinary words; no real token is that short.
  const live = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  if (live.length === 0) return (text) => text;
  const whole = live.filter((s) => s.length < MIN_PREFIX);
  const pattern = new RegExp(
    live
      .filter((s) => s.length >= MIN_PREFIX)
      .map(prefixPattern)
      .join('|') || '(?!)',
    'g',
  );
  return (text) => whole.reduce((out, s) => out.split(s).join('***'), text.replace(pattern, '***'));
}
