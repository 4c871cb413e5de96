import { attributeNotes, showsWriters, WRITER_LABELS_HINT } from '../../shared/api/noteAuthors.ts';
import { RECORD_ROLE_LABELS as ROLE_LABELS, type MeetingRecord } from '../../shared/api/records.ts';

/**
 * The meeting record as a progress note for the clinical record, in Markdown and in HTML for printing.
 * Both say the same things in the same order: when, how long, who attended, notes, reflections, open
 * questions, decisions with who was present, then any addenda after the sealed content. Each passage of
 * the notes is preceded by its writer's name in brackets where the writer changes (see noteAuthors.ts), so
 * who wrote what survives a black-and-white printout. Times are UTC
 * with the zone named, so a note reads the same wherever it is filed.
 */
export function progressNoteMarkdown(record: MeetingRecord): string {
  const lines: string[] = [];
  const out = (...more: string[]) => lines.push(...more);
  out(`# Progress note: ${md(record.meeting.title)}`, '');
  out(`- Network of: ${md(record.network.personName)}`);
  for (const [label, value] of facts(record)) out(`- ${label}: ${md(value)}`);
  out('', '## Who attended', '');
  if (record.attendees.length === 0) out('Nobody is recorded as having joined.');
  for (const a of record.attendees) out(`- ${md(a.name)} (${ROLE_LABELS[a.role]}), ${attendance(a)}`);
  out('', '## Notes', '');
  if (record.notes.length === 0) out('No notes were written.');
  const attributed = attributeNotes(record.notes);
  if (showsWriters(attributed)) out(`_${WRITER_LABELS_HINT}_`, '');
  for (const { block, blockLabel, segments } of attributed) {
    if (blockLabel) out(`**${md(blockLabel)}**`, '');
    const text = segments.map((segment) => (segment.label ? `**${md(segment.label)}** ${md(segment.text)}` : md(segment.text))).join('');
    if (block.kind === 'heading') out(`### ${text}`, '');
    else if (block.kind === 'quote') out(...text.split('\n').map((line) => `> ${line}`), '');
    else if (block.kind === 'code') out('```', block.text.replaceAll('```', "'''"), '```', '');
    else if (block.kind === 'rule') out('---', '');
    else out(text.replaceAll('\n', '  \n'), '');
  }
  out('## Reflections', '');
  if (record.reflections.length === 0) out('No reflections were written.');
  for (const r of record.reflections) out(`- ${md(r.author)} (${ROLE_LABELS[r.role]}, ${time(r.writtenAt)}): ${md(r.text)}`);
  out('', '## Open questions discussed', '');
  if (record.questions.length === 0) out('No open questions were discussed.');
  for (const q of record.questions) out(`- ${md(q.title)} (${q.status === 'open' ? 'still open' : 'decided'})`);
  out('', '## Decisions', '');
  if (record.decisions.length === 0) out('No decisions were recorded.');
  for (const d of record.decisions) {
    out(`- ${md(d.question)}: ${md(d.text)}`);
    out(`  - Decided ${time(d.decidedAt)}, recorded by ${md(d.decidedBy)}`);
    out(`  - Present: ${d.present.length ? d.present.map(md).join(', ') : 'not recorded'}`);
  }
  if (record.addenda.length > 0) {
    out('', '## Addenda (added after the meeting was sealed)', '');
    for (const a of record.addenda) out(`- ${md(a.authorName)} (${ROLE_LABELS[a.authorRole]}), ${time(a.createdAt)}: ${md(a.text)}`);
  }
  out('');
  return lines.join('\n');
}

/** A standalone HTML page with a print stylesheet, for Chromium to print to PDF. No scripts, no fetches. */
export function progressNoteHtml(record: MeetingRecord): string {
  const list = (items: string[], empty: string) => (items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : `<p class="empty">${empty}</p>`);
  const attributed = attributeNotes(record.notes);
  const notes = attributed.map(({ block, blockLabel, segments }) => {
    const label = blockLabel ? `<p class="writer">${html(blockLabel)}</p>` : '';
    const text = segments.map((segment) => (segment.label ? `<strong class="writer">${html(segment.label)}</strong> ${lines(segment.text)}` : lines(segment.text))).join('');
    if (block.kind === 'heading') return `${label}<h3>${text}</h3>`;
    if (block.kind === 'quote') return `${label}<blockquote>${text}</blockquote>`;
    if (block.kind === 'code') return `${label}<pre>${html(block.text)}</pre>`;
    if (block.kind === 'rule') return '<hr>';
    return `${label}<p>${text}</p>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Progress note: ${html(record.meeting.title)}</title>
<style>${PRINT_CSS}</style></head>
<body>
<header><h1>Progress note: ${html(record.meeting.title)}</h1>
<dl>${[['Network of', record.network.personName], ...facts(record)].map(([k, v]) => `<dt>${html(k ?? '')}</dt><dd>${html(v ?? '')}</dd>`).join('')}</dl></header>
<section><h2>Who attended</h2>${list(record.attendees.map((a) => `${html(a.name)} <span class="role">(${ROLE_LABELS[a.role]})</span>, ${html(attendance(a))}`), 'Nobody is recorded as having joined.')}</section>
<section><h2>Notes</h2>${showsWriters(attributed) ? `<p class="empty">${WRITER_LABELS_HINT}</p>` : ''}${notes.length ? notes.join('\n') : '<p class="empty">No notes were written.</p>'}</section>
<section><h2>Reflections</h2>${list(record.reflections.map((r) => `<strong>${html(r.author)}</strong> <span class="role">(${ROLE_LABELS[r.role]}, ${html(time(r.writtenAt))})</span>: ${lines(r.text)}`), 'No reflections were written.')}</section>
<section><h2>Open questions discussed</h2>${list(record.questions.map((q) => `${html(q.title)} <span class="role">(${q.status === 'open' ? 'still open' : 'decided'})</span>`), 'No open questions were discussed.')}</section>
<section><h2>Decisions</h2>${list(record.decisions.map((d) => `<strong>${html(d.question)}</strong>: ${lines(d.text)}<br><span class="role">Decided ${html(time(d.decidedAt))}, recorded by ${html(d.decidedBy)}. Present: ${html(d.present.join(', ') || 'not recorded')}</span>`), 'No decisions were recorded.')}</section>
${record.addenda.length ? `<section class="addenda"><h2>Addenda (added after the meeting was sealed)</h2>${list(record.addenda.map((a) => `<strong>${html(a.authorName)}</strong> <span class="role">(${ROLE_LABELS[a.authorRole]}, ${html(time(a.createdAt))})</span>: ${lines(a.text)}`), '')}</section>` : ''}
<footer>The same record is readable by everyone in the network. Audio and video are never recorded.</footer>
</body></html>`;
}

const PRINT_CSS = `
@page { size: A4; margin: 18mm 16mm; }
body { font: 11pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 6pt; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; padding-bottom: 2pt; margin: 16pt 0 6pt; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 10pt 0 4pt; break-after: avoid; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
ul { padding-left: 16pt; margin: 4pt 0; }
li { margin: 2pt 0; break-inside: avoid; }
blockquote { border-left: 3px solid #999; margin: 6pt 0; padding-left: 8pt; }
pre { white-space: pre-wrap; font-size: 10pt; }
.role, .empty { color: #444; }
.writer { font-weight: bold; margin: 8pt 0 2pt; break-after: avoid; }
.addenda { border-top: 2px solid #111; margin-top: 18pt; }
footer { margin-top: 18pt; font-size: 9pt; color: #444; }
`;

function facts(record: MeetingRecord): [string, string][] {
  const rows: [string, string][] = [['Date', time(record.startedAt ?? record.meeting.scheduledAt)]];
  rows.push(['Duration', record.durationMinutes === undefined ? 'not recorded' : `${record.durationMinutes} minutes`]);
  if (record.endedAt) rows.push(['Ended', time(record.endedAt)]);
  rows.push(['Record', record.sealed ? 'sealed when the meeting ended' : 'not sealed: the meeting has not ended']);
  return rows;
}

function attendance(a: MeetingRecord['attendees'][number]): string {
  return `joined ${time(a.firstJoinedAt)}${a.lastLeftAt ? `, left ${time(a.lastLeftAt)}` : ''}${a.totalMinutes === undefined ? '' : `, ${a.totalMinutes} min present`}`;
}

/** `2026-11-23 09:05 UTC`. */
function time(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Text that Markdown renders as written: characters that would format are escaped. */
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`).replace(/^(\s*)([-+]|\d+\.)(\s)/gm, '$1\\$2$3');
}

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function lines(text: string): string {
  return html(text).replaceAll('\n', '<br>');
}
