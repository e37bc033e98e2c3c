const brand = /* @__PURE__ */ Symbol.for('tahaffuz.referral-contract.AdminAreaError');

/** One problem found in an admin-area list: where it is (`areas[3].code`) and what is wrong. */
export interface AdminAreaIssue {
  /** JSON path of the offending value, e.g. `['areas', 3, 'parent']`. */
  readonly path: readonly (string | number)[];
  /** What is wrong and how to fix it, naming the entry by index and code. */
  readonly message: string;
}

/**
 * Thrown by `defineAdminAreas()` when a deployment's admin-area list is invalid; `issues` lists every
 * problem found, each naming the bad entry.
 */
export class AdminAreaError extends Error {
  override name = 'AdminAreaError' as const;
  /** Every problem found, in list order. */
  readonly issues: readonly AdminAreaIssue[];
  // Set in the constructor rather than as a field: a computed field key would be evaluated when the
  // class is defined, which keeps the class in every bundle that merely imports this module.
  declare readonly [brand]: true;

  constructor(issues: readonly AdminAreaIssue[], options?: { cause?: unknown }) {
    const lines = issues.map((issue) => `- ${issue.message}`);
    super(`Invalid admin-area list (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, options);
    this.issues = issues;
    (this as { [brand]: true })[brand] = true;
  }
}

/** True when `error` is an `AdminAreaError`, also when it comes from another realm or copy of the package. */
export function isAdminAreaError(error: unknown): error is AdminAreaError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[brand] === true;
}
