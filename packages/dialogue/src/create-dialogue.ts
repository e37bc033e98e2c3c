import type { Dialogue, Language, Organiser } from './model.js';
import { validated } from './validate.js';

/** What it takes to start a dialogue. */
export interface NewDialogue {
  id: string;
  title: string;
  /** IANA time zone of the venue, e.g. `Asia/Karachi`. */
  timezone: string;
  venue: string;
  organiser: Organiser;
  /**
   * Languages participants are written to in.
   * @default ['en']
   */
  languages?: Language[];
}

/**
 * A new, empty dialogue (version 0, not stored yet). Throws `DialogueValidationError` naming each bad field.
 *
 * @example
 * const dialogue = createDialogue({
 *   id: 'nd-2026', title: 'National Dialogue', timezone: 'Asia/Karachi', venue: 'Islamabad',
 *   organiser: { name: 'SSDO', email: 'dialogue@example.org' },
 * });
 * await new JsonFileStore('./dialogues').save(dialogue, 0);
 */
export function createDialogue(input: NewDialogue, now: Date = new Date()): Dialogue {
  const at = now.toISOString();
  return validated(
    {
      id: input.id,
      title: input.title,
      timezone: input.timezone,
      venue: input.venue,
      organiser: { ...input.organiser },
      languages: input.languages ?? ['en'],
      version: 0,
      organisations: [],
      participants: [],
      sessions: [],
      working_groups: [],
      recommendations: [],
      invitations: [],
      reminders: [],
      created_at: at,
      updated_at: at,
    },
    'new dialogue',
  );
}
