const BRAND = Symbol.for('@tahaffuz/dialogue.error');

/** One problem found in input, located by a path into the data (`participants.3.email`). */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** One problem found in a CSV file, located by row (1 = header line) and column name. */
export interface CsvProblem {
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

/**
 * Base class of every error `@tahaffuz/dialogue` throws. Messages carry ids and paths, never names,
 * emails or narratives.
 */
export class DialogueError extends Error {
  // Typed `string`, not a literal, so that subclasses can narrow it to their own literal name.
  override name: string = 'DialogueError';
  /** A stable code callers may branch on. */
  readonly code: string;

  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'DIALOGUE_ERROR';
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for any error thrown by `@tahaffuz/dialogue`, also across realms and duplicate installs. */
export function isDialogueError(value: unknown): value is DialogueError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

function describe(problems: readonly Problem[], limit = 10): string {
  const shown = problems.slice(0, limit).map((p) => `${p.path || '(root)'}: ${p.message}`);
  if (problems.length > limit) shown.push(`… and ${problems.length - limit} more`);
  return shown.join('; ');
}

/** Input or stored data failed validation; `problems` name each bad path. */
export class DialogueValidationError extends DialogueError {
  override name = 'DialogueValidationError' as const;
  readonly problems: readonly Problem[];
  /** The file the data came from, when it came from one. */
  readonly file: string | undefined;

  constructor(what: string, problems: readonly Problem[], options: { file?: string; cause?: unknown } = {}) {
    super(`${what} is invalid: ${describe(problems)}`, { code: 'VALIDATION', cause: options.cause });
    this.problems = problems;
    this.file = options.file;
  }
}

/** A save was refused because the dialogue changed since the caller loaded it. Load again and redo the change. */
export class StaleWriteError extends DialogueError {
  override name = 'StaleWriteError' as const;
  readonly dialogueId: string;
  readonly expectedVersion: number;
  readonly actualVersion: number;

  constructor(dialogueId: string, expectedVersion: number, actualVersion: number) {
    super(
      `dialogue "${dialogueId}" is at version ${actualVersion}, not ${expectedVersion}: someone else saved it since you loaded it; load it again and repeat your change`,
      { code: 'STALE_WRITE' },
    );
    this.dialogueId = dialogueId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** Something named by id does not exist. */
export class NotFoundError extends DialogueError {
  override name = 'NotFoundError' as const;
  readonly kind: string;
  readonly id: string;

  constructor(kind: string, id: string) {
    super(`no ${kind} with id "${id}"`, { code: 'NOT_FOUND' });
    this.kind = kind;
    this.id = id;
  }
}

/** A CSV file had bad lines; nothing was imported. `problems` lists every one by row and column. */
export class CsvImportError extends DialogueError {
  override name = 'CsvImportError' as const;
  readonly problems: readonly CsvProblem[];

  constructor(problems: readonly CsvProblem[]) {
    const shown = problems.slice(0, 20).map((p) => `row ${p.row}, column ${p.column}: ${p.message}`);
    if (problems.length > 20) shown.push(`… and ${problems.length - 20} more`);
    super(`CSV not imported, nothing was changed (${problems.length} problem(s)):\n  ${shown.join('\n  ')}`, {
      code: 'CSV_INVALID',
    });
    this.problems = problems;
  }
}

/** A recommendation status change the state machine does not allow. */
export class IllegalTransitionError extends DialogueError {
  override name = 'IllegalTransitionError' as const;
  readonly recommendationId: string;
  readonly from: string;
  readonly to: string;
  readonly allowed: readonly string[];

  constructor(recommendationId: string, from: string, to: string, allowed: readonly string[]) {
    super(
      `recommendation "${recommendationId}" cannot go from ${from} to ${to}; allowed next: ${
        allowed.length === 0 ? 'none (final state)' : allowed.join(', ')
      }`,
      { code: 'ILLEGAL_TRANSITION' },
    );
    this.recommendationId = recommendationId;
    this.from = from;
    this.to = to;
    this.allowed = allowed;
  }
}

/** The date rules of progress updates and due dates (see `DATE_RULES`). */
export type DateRule = 'future' | 'before_adoption' | 'before_last_update' | 'due_before_adoption';

/** A date that breaks one of the date rules; `rule` says which, the message says it in words. */
export class DateRuleError extends DialogueError {
  override name = 'DateRuleError' as const;
  readonly rule: DateRule;
  readonly recommendationId: string;
  /** The date that was refused, `YYYY-MM-DD`. */
  readonly date: string;

  constructor(recommendationId: string, rule: DateRule, date: string, message: string) {
    super(`recommendation "${recommendationId}": ${message}`, { code: 'DATE_RULE' });
    this.rule = rule;
    this.recommendationId = recommendationId;
    this.date = date;
  }
}

/** Turns zod issues into problems with dotted paths. */
export function problemsFromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix = ''): Problem[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((s) => s !== '').join('.'),
    message: i.message,
  }));
}
