/**
 * `tz-quick-exit`: the reporter asked to leave at once (button or Esc twice). Dispatched just before
 * the page is replaced, so that a host can wipe its own state; cancelling it does not stop the exit.
 */
export class QuickExitEvent extends Event {
  static readonly type = 'tz-quick-exit' as const;

  constructor() {
    super(QuickExitEvent.type, { bubbles: true, composed: true });
  }
}
