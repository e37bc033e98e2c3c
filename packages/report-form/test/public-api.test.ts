import { describe, expect, it } from 'vitest';

describe('@tahaffuz/report-form by its public name', () => {
  it('registers both elements and exposes the presets, strings and model', async () => {
    const form = await import('@tahaffuz/report-form');
    expect(customElements.get('tz-report-form')).toBe(form.TzReportForm);
    expect(customElements.get('tz-quick-exit')).toBe(form.TzQuickExit);
    expect(form.PAKISTAN_EMERGENCY_NUMBERS.map((entry) => entry.number)).toEqual(['15', '111-247-786']);
    expect(form.STEPS).toEqual(['safety', 'what', 'where', 'when', 'who', 'suspects', 'about_you', 'review']);
    expect(form.directionOf('ur')).toBe('rtl');
    expect(Object.keys(form.BUILT_IN_STRINGS).sort()).toEqual(['en', 'ur']);
    const event = new form.ReportSubmittedEvent({ reportId: 'id', reference: 'TZ-7K3M-Q9XD', receivedAt: 'now', fromQueue: false });
    expect(event).toBeInstanceOf(Event);
    expect([event.type, event.bubbles, event.composed]).toEqual(['tz-submitted', true, true]);
  });
});
