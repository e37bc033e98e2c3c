import { DialogueError } from '../errors.js';

/**
 * Cleaning of text a person typed before it reaches an iCalendar file or a mail header. ical-generator
 * escapes `\`, `;`, `,` and line breaks in property values, but it passes control characters through
 * and it "escapes" a `"` inside a quoted parameter (CN) as `\"`, which no parser honours: the quote
 * ends the parameter and the rest of the name becomes new parameters. See
 * docs/decisions/0005-ical-generator-workarounds.md.
 */

// C0 controls except TAB, LF and CR; DEL; C1 controls. Line breaks are handled by each cleaner.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern removes or finds.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// Lone surrogates would be written as U+FFFD by the UTF-8 encoder; do it here so that what is
// hashed and compared is what is sent.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const LINE_BREAK = /\r\n|\r|\n|\u2028|\u2029/g;

/**
 * Text for an iCalendar TEXT value (SUMMARY, DESCRIPTION, LOCATION): control characters removed,
 * line breaks normalised to `\n` (ical-generator then writes them as the `\n` escape).
 */
export function cleanText(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd').replace(LINE_BREAK, '\n').replace(CONTROL, '');
}

/**
 * Text on one line (a mail subject, a display name): control characters removed and every line
 * break turned into a space, runs of white space collapsed.
 */
export function cleanLine(value: string): string {
  return cleanText(value)
    .replace(/[\n\t]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * Text for a quoted iCalendar parameter (CN of ORGANIZER and ATTENDEE), which can hold neither a
 * `"` nor a line break and in which a backslash is not an escape. `"` becomes `'`; `\`, `;` and
 * `:` become their full-width forms, because node-ical splits parameters at every `;` even inside
 * quotes (a CN `x;RSVP=FALSE` would set RSVP); and a `^` that RFC 6868 readers (ical.js) would
 * decode is replaced by U+02C6, so that every parser reads the same name.
 */
export function cleanParamText(value: string): string {
  const line = cleanLine(value)
    .replace(/"/g, "'")
    .replace(/\\/g, '\uff3c')
    .replace(/;/g, '\uff1b')
    .replace(/:/g, '\uff1a')
    .replace(/\^(?=[n'^])/g, '\u02c6');
  return line === '' ? '?' : line;
}

// A deliberately plain mailbox: no quotes, no spaces, nothing that means something in an iCalendar
// line (`;`, `:`, `,`, `"`) or in a mail header. Anything else is refused, not escaped.
const MAILBOX =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** True for an address that can be written into ORGANIZER/ATTENDEE and an SMTP envelope as it is. */
export function isPlainMailbox(address: string): boolean {
  return address.length <= 254 && MAILBOX.test(address);
}

/**
 * Throws a `DialogueError` (code `BAD_ADDRESS`) naming `what` (an id, never the address) unless
 * `address` is a plain mailbox.
 */
export function assertPlainMailbox(address: string, what: string): void {
  if (!isPlainMailbox(address)) {
    throw new DialogueError(`${what} has an email address that cannot be used in an invitation`, {
      code: 'BAD_ADDRESS',
    });
  }
}
