/** A text in each language the deployment offers, keyed by primary language subtag (`en`, `ur`). */
export type LocalizedText = Readonly<Record<string, string>>;

/** One number to call, shown first on the safety screen and again when someone may be in danger. */
export interface EmergencyNumber {
  /** The number as people dial it, e.g. `15` or `111-247-786`. */
  readonly number: string;
  /** Who answers, by language; English is shown for a language that is missing. */
  readonly label: LocalizedText;
}

/**
 * Pakistan's preset: police (15) and the FIA anti-human-trafficking helpline (111-247-786). A
 * deployment adds its own, e.g. `[...PAKISTAN_EMERGENCY_NUMBERS, { number: '1121', label: { en:
 * 'Punjab Child Protection Bureau', ur: 'پنجاب چائلڈ پروٹیکشن بیورو' } }]`.
 */
export const PAKISTAN_EMERGENCY_NUMBERS: readonly EmergencyNumber[] = [
  { number: '15', label: { en: 'Police', ur: 'پولیس' } },
  {
    number: '111-247-786',
    label: { en: 'FIA anti-human-trafficking helpline', ur: 'ایف آئی اے انسدادِ انسانی اسمگلنگ ہیلپ لائن' },
  },
];

/** The `tel:` link of a number (digits and a leading `+` only), or `undefined` when it has no digit. */
export function telHref(number: string): string | undefined {
  const trimmed = number.trim();
  const digits = trimmed.replace(/[^0-9]/gu, '');
  if (digits === '') return undefined;
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`;
}

/** A localized text in `lang`, else English, else the first one given. */
export function localize(text: LocalizedText, lang: string): string {
  return text[lang] ?? text['en'] ?? Object.values(text)[0] ?? '';
}
