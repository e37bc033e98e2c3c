import { describe, expect, it } from 'vitest';
import * as dialogue from '@tahaffuz/dialogue';

describe('@tahaffuz/dialogue, imported by its public name', () => {
  it('builds, stores and reports a dialogue through the public API', async () => {
    const store = new dialogue.MemoryDialogueStore();
    let d = dialogue.createDialogue({
      id: 'nd',
      title: 'National Dialogue',
      timezone: 'Asia/Karachi',
      venue: 'Islamabad',
      organiser: { name: 'SSDO', email: 'dialogue@example.org' },
    });
    d = dialogue.addOrganisations(d, [{ id: 'fia', name: 'FIA', sector: 'law_enforcement', contact_email: 'fia@example.org' }]);
    d = dialogue.addWorkingGroup(d, { id: 'wg1', code: 'WG1', theme: 'LEAs', sectors: ['law_enforcement'] });
    d = dialogue.addRecommendation(d, { text: 'Identify trafficking hotspots', working_group_id: 'WG1' });
    const saved = await store.save(d, 0);
    expect(saved.version).toBe(1);
    const error = await store.save(d, 0).catch((e: unknown) => e);
    expect(dialogue.isDialogueError(error)).toBe(true);
    expect((error as Error).name).toBe('StaleWriteError');
    expect(dialogue.renderReportMarkdown(dialogue.buildFollowUpReport(saved, { today: '2026-04-01' }))).toContain(
      '### ND-WG1-R01: Identify trafficking hotspots',
    );
  });
});
