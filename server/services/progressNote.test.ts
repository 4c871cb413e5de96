import { describe, expect, it } from 'vitest';
import type { MeetingRecord } from '../../shared/api/records.ts';
import { progressNoteHtml, progressNoteMarkdown } from './progressNote.ts';

const record: MeetingRecord = {
  meeting: { id: 'abcdefghijklmnopqrstuv', networkId: 'abcdefghijklmnopqrstuv', title: 'Network meeting', scheduledAt: '2026-11-23T10:00:00.000Z', status: 'ended', createdAt: '2026-11-22T10:00:00.000Z', durationMinutes: 60, sequence: 0 },
  network: { id: 'abcdefghijklmnopqrstuv', personName: 'Jo' },
  sealed: true,
  startedAt: '2026-11-23T10:02:00.000Z',
  endedAt: '2026-11-23T11:05:00.000Z',
  durationMinutes: 63,
  attendees: [{ name: 'Robin', role: 'practitioner', firstJoinedAt: '2026-11-23T10:02:00.000Z', totalMinutes: 63 }],
  notes: [
    { kind: 'paragraph', text: '# not a heading, *not bold* <b>not html</b>' },
    { kind: 'paragraph', text: '- not a list' },
  ],
  reflections: [],
  questions: [],
  decisions: [],
  addenda: [],
};

describe('the progress note', () => {
  it('writes what people typed as text, never as Markdown formatting', () => {
    const markdown = progressNoteMarkdown(record);
    expect(markdown).toContain('\\# not a heading, \\*not bold\\* \\<b\\>not html\\</b\\>');
    expect(markdown).toContain('\n\\- not a list\n');
    expect(markdown).toContain('- Duration: 63 minutes');
    expect(markdown).toContain('No reflections were written.');
  });

  it('escapes HTML, so the printed page runs nothing that was typed', () => {
    const html = progressNoteHtml(record);
    expect(html).toContain('&lt;b&gt;not html&lt;/b&gt;');
    expect(html).not.toContain('<b>not html');
    expect(html).toContain("default-src 'none'");
  });

  it('names the writer of each passage in words, in Markdown and in the printed page (readable in black and white)', () => {
    const written: MeetingRecord = {
      ...record,
      notes: [
        { kind: 'paragraph', text: 'Alex slept better.', runs: [{ text: 'Alex slept better.', author: 'Robin', role: 'practitioner' }] },
        { kind: 'paragraph', text: 'Maria agrees. Mostly.', runs: [{ text: 'Maria agrees. ', author: 'Maria', role: 'network_member' }, { text: 'Mostly.', author: 'Robin', role: 'practitioner' }] },
      ],
    };
    const markdown = progressNoteMarkdown(written);
    expect(markdown).toContain('**\\[Robin\\]**\n\nAlex slept better.\n');
    expect(markdown).toContain('**\\[Maria\\]** Maria agrees. **\\[Robin\\]** Mostly.');
    expect(markdown).toContain('The name in brackets before a passage is the person who wrote it.');
    expect(progressNoteMarkdown(record)).not.toContain('name in brackets');
    const html = progressNoteHtml(written);
    expect(html).toContain('<p class="writer">[Robin]</p><p>Alex slept better.</p>');
    expect(html).toContain('<strong class="writer">[Maria]</strong> Maria agrees. <strong class="writer">[Robin]</strong> Mostly.');
  });
});
