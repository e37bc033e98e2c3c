import type { Language, SessionKind } from '../model.js';

/** The words of an invitation email in one language. */
export interface InviteStrings {
  readonly dir: 'ltr' | 'rtl';
  readonly locale: string;
  readonly invitation: string;
  readonly cancelled: string;
  readonly greeting: (name: string) => string;
  readonly invitedTo: (dialogue: string) => string;
  readonly cancelledText: (dialogue: string) => string;
  readonly when: string;
  readonly where: string;
  readonly group: string;
  readonly kind: Readonly<Record<SessionKind, string>>;
  readonly reply: string;
  readonly organisedBy: (organiser: string) => string;
}

/** English and Urdu wording of invitations and cancellations. */
export const INVITE_STRINGS: Readonly<Record<Language, InviteStrings>> = {
  en: {
    dir: 'ltr',
    locale: 'en-GB',
    invitation: 'Invitation',
    cancelled: 'Cancelled',
    greeting: (name) => `Dear ${name},`,
    invitedTo: (dialogue) => `You are invited to the following session of ${dialogue}.`,
    cancelledText: (dialogue) => `The following session of ${dialogue} no longer takes place for you. Please remove it from your calendar.`,
    when: 'When',
    where: 'Where',
    group: 'Your working group',
    kind: { plenary: 'Plenary', speech: 'Speech', panel: 'Panel', breakout: 'Breakout', report_back: 'Report-back' },
    reply: 'Please accept or decline with your calendar, so that the organisers know who to expect.',
    organisedBy: (organiser) => `Organised by ${organiser}`,
  },
  ur: {
    dir: 'rtl',
    locale: 'ur-PK',
    invitation: 'دعوت نامہ',
    cancelled: 'منسوخ',
    greeting: (name) => `محترم ${name}،`,
    invitedTo: (dialogue) => `آپ کو ${dialogue} کی درج ذیل نشست میں مدعو کیا جاتا ہے۔`,
    cancelledText: (dialogue) => `${dialogue} کی درج ذیل نشست اب آپ کے لیے منعقد نہیں ہوگی۔ براہِ کرم اسے اپنے کیلنڈر سے ہٹا دیں۔`,
    when: 'وقت',
    where: 'مقام',
    group: 'آپ کا ورکنگ گروپ',
    kind: { plenary: 'مکمل اجلاس', speech: 'خطاب', panel: 'پینل مباحثہ', breakout: 'ورکنگ گروپ نشست', report_back: 'رپورٹ پیشی' },
    reply: 'براہِ کرم اپنے کیلنڈر سے قبول یا مسترد کریں تاکہ منتظمین کو شرکاء کا علم ہو سکے۔',
    organisedBy: (organiser) => `منتظم: ${organiser}`,
  },
};
