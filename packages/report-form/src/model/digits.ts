/**
 * Replaces Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹, used in Urdu) digits by ASCII digits,
 * so that a number typed on an Urdu keyboard is read as a number; nothing else changes.
 */
export function normalizeDigits(value: string): string {
  return value.replace(/[\u0660-\u0669\u06F0-\u06F9]/gu, (digit) => {
    const code = digit.charCodeAt(0);
    return String(code - (code >= 0x06f0 ? 0x06f0 : 0x0660));
  });
}
