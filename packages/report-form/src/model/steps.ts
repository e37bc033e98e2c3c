/** The screens of the report form, in order: safety first, review last. */
export const STEPS = ['safety', 'what', 'where', 'when', 'who', 'suspects', 'about_you', 'review'] as const;

/** The name of one screen of the form. */
export type StepName = (typeof STEPS)[number];

/** What the form shows after the last step: the receipt, or the note that the report waits on this device. */
export type Outcome = 'received' | 'queued' | 'deleted';
