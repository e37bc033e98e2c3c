import type { ReportFormErrorEvent } from './error-event.js';
import type { QuickExitEvent } from './quick-exit-event.js';
import type { ReportQueuedEvent } from './queued-event.js';
import type { StepChangeEvent } from './step-change-event.js';
import type { ReportSubmittedEvent } from './submitted-event.js';

declare global {
  interface GlobalEventHandlersEventMap {
    'tz-submitted': ReportSubmittedEvent;
    'tz-queued': ReportQueuedEvent;
    'tz-step-change': StepChangeEvent;
    'tz-error': ReportFormErrorEvent;
    'tz-quick-exit': QuickExitEvent;
  }
}
