import { describe, expect, it } from 'vitest';
import type { MeetingRecord } from '../../shared/api/records.ts';
import { networkMapSvg } from './networkMapSvg.ts';
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
  timeZone: 'UTC',
  chat: [],
  reflectionAnswers: [],
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

describe('the record in the network’s zone, with its map', () => {
  const map = {
    centreName: 'Jo <b>',
    people: [{ id: 'a', name: '</text><script>alert(1)</script>', relationship: 'aunt "A"', closeness: 1 as const, x: 100, y: 100 }],
    connections: [],
  };
  const zoned: MeetingRecord = { ...record, timeZone: 'Asia/Kolkata', networkMap: { ...map, svg: networkMapSvg(map) } };

  it('gives every time in the zone, named, never in UTC', () => {
    const markdown = progressNoteMarkdown(zoned);
    expect(markdown).toContain('- Date: 2026-11-23 15:32 (Asia/Kolkata)');
    expect(markdown).toContain('joined 2026-11-23 15:32 (Asia/Kolkata)');
    expect(markdown).not.toContain('UTC');
  });

  it('draws the map with every label escaped, inline in the printed page and in words in both', () => {
    const html = progressNoteHtml(zoned);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain('&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('aunt &quot;A&quot;');
    // The page draws the map from its data, whatever SVG text came with it.
    const tampered = progressNoteHtml({ ...zoned, networkMap: { ...map, svg: '<svg><script>alert(2)</script></svg>' } });
    expect(tampered).not.toContain('alert(2)');
    expect(tampered).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(progressNoteMarkdown(zoned)).toContain('- \\</text\\>\\<script\\>alert(1)\\</script\\> (aunt "A", very close)');
  });
});
