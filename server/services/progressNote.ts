import { attributeNotes, showsWriters, WRITER_LABELS_HINT } from '../../shared/api/noteAuthors.ts';
import { RECORD_ROLE_LABELS as ROLE_LABELS, type MeetingRecord, type RecordEntry, type RecordMap } from '../../shared/api/records.ts';
import { recordTime } from '../../shared/api/timeZone.ts';
import { CLOSENESS_LABELS } from '../../shared/doc/networkMap.ts';
import { networkMapSvg } from './networkMapSvg.ts';

/**
 * The meeting record as a progress note for the clinical record, in Markdown and in HTML for printing.
 * Both say the same things in the same order: when, how long, who attended (each stay), notes, reflections
 * and the network's answers to them, open questions with each person's view, decisions with who was present,
 * the chat, the network map (drawn in the HTML, in words in both), then any addenda after the sealed content.
 * Each passage of the notes is preceded by its writer's name in brackets where the writer changes (see
 * noteAuthors.ts), so who wrote what survives a black-and-white printout. Times are in the network's own zone
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
  for (const a of record.attendees) out(`- ${md(a.name)} (${ROLE_LABELS[a.role]}), ${attendance(a, record.timeZone)}`);
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
  for (const r of record.reflections) out(`- ${md(r.author)} (${ROLE_LABELS[r.role]}, ${time(r.writtenAt, record.timeZone)}): ${md(r.text)}`);
  out('', '## What the network made of the reflections', '');
  if (record.reflectionAnswers.length === 0) out('Nobody in the network wrote an answer.');
  for (const a of record.reflectionAnswers) out(`- ${entryMarkdown(a, record.timeZone)}`);
  out('', '## Open questions discussed', '');
  if (record.questions.length === 0) out('No open questions were discussed.');
  for (const q of record.questions) {
    out(`- ${md(q.title)} (${q.status === 'open' ? 'still open' : 'decided'})`);
    for (const v of q.views) out(`  - View of ${entryMarkdown(v, record.timeZone)}`);
  }
  out('', '## Decisions', '');
  if (record.decisions.length === 0) out('No decisions were recorded.');
  for (const d of record.decisions) {
    out(`- ${md(d.question)}: ${md(d.text)}`);
    out(`  - Decided ${time(d.decidedAt, record.timeZone)}, recorded by ${md(d.decidedBy)}`);
    out(`  - Present: ${d.present.length ? d.present.map(md).join(', ') : 'not recorded'}`);
  }
  out('', '## Chat', '');
  if (record.chat.length === 0) out('Nothing was written in the chat.');
  for (const c of record.chat) out(`- ${entryMarkdown(c, record.timeZone)}`);
  out('', '## Network map', '');
  out(...mapMarkdown(record.networkMap));
  if (record.addenda.length > 0) {
    out('', '## Addenda (added after the meeting was sealed)', '');
    for (const a of record.addenda) out(`- ${md(a.authorName)} (${ROLE_LABELS[a.authorRole]}), ${time(a.createdAt, record.timeZone)}: ${md(a.text)}`);
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
<section><h2>Who attended</h2>${list(record.attendees.map((a) => `${html(a.name)} <span class="role">(${ROLE_LABELS[a.role]})</span>, ${html(attendance(a, record.timeZone))}`), 'Nobody is recorded as having joined.')}</section>
<section><h2>Notes</h2>${showsWriters(attributed) ? `<p class="empty">${WRITER_LABELS_HINT}</p>` : ''}${notes.length ? notes.join('\n') : '<p class="empty">No notes were written.</p>'}</section>
<section><h2>Reflections</h2>${list(record.reflections.map((r) => `<strong>${html(r.author)}</strong> <span class="role">(${ROLE_LABELS[r.role]}, ${html(time(r.writtenAt, record.timeZone))})</span>: ${lines(r.text)}`), 'No reflections were written.')}</section>
<section><h2>What the network made of the reflections</h2>${list(record.reflectionAnswers.map((a) => entryHtml(a, record.timeZone)), 'Nobody in the network wrote an answer.')}</section>
<section><h2>Open questions discussed</h2>${list(record.questions.map((q) => `${html(q.title)} <span class="role">(${q.status === 'open' ? 'still open' : 'decided'})</span>${q.views.length ? `<ul>${q.views.map((v) => `<li>View of ${entryHtml(v, record.timeZone)}</li>`).join('')}</ul>` : ''}`), 'No open questions were discussed.')}</section>
<section><h2>Decisions</h2>${list(record.decisions.map((d) => `<strong>${html(d.question)}</strong>: ${lines(d.text)}<br><span class="role">Decided ${html(time(d.decidedAt, record.timeZone))}, recorded by ${html(d.decidedBy)}. Present: ${html(d.present.join(', ') || 'not recorded')}</span>`), 'No decisions were recorded.')}</section>
<section><h2>Chat</h2>${list(record.chat.map((c) => entryHtml(c, record.timeZone)), 'Nothing was written in the chat.')}</section>
<section class="map"><h2>Network map</h2>${mapHtml(record.networkMap)}</section>
${record.addenda.length ? `<section class="addenda"><h2>Addenda (added after the meeting was sealed)</h2>${list(record.addenda.map((a) => `<strong>${html(a.authorName)}</strong> <span class="role">(${ROLE_LABELS[a.authorRole]}, ${html(time(a.createdAt, record.timeZone))})</span>: ${lines(a.text)}`), '')}</section>` : ''}
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
.map { break-inside: avoid; }
.map svg { display: block; width: 100%; max-width: 160mm; height: auto; margin: 4pt 0; }
footer { margin-top: 18pt; font-size: 9pt; color: #444; }
`;

function facts(record: MeetingRecord): [string, string][] {
  const rows: [string, string][] = [['Date', time(record.startedAt ?? record.meeting.scheduledAt, record.timeZone)]];
  rows.push(['Duration', record.durationMinutes === undefined ? 'not recorded' : `${record.durationMinutes} minutes`]);
  if (record.endedAt) rows.push(['Ended', time(record.endedAt, record.timeZone)]);
  rows.push(['Times', `in the network's time zone, ${record.timeZone}`]);
  rows.push(['Record', record.sealed ? 'sealed when the meeting ended' : 'not sealed: the meeting has not ended']);
  return rows;
}

/** First join and last leave, then each stay when there were several (a dropped connection, a break). */
function attendance(a: MeetingRecord['attendees'][number], zone: string): string {
  const span = `joined ${time(a.firstJoinedAt, zone)}${a.lastLeftAt ? `, left ${time(a.lastLeftAt, zone)}` : ''}${a.totalMinutes === undefined ? '' : `, ${a.totalMinutes} min present`}`;
  const stays = a.stays ?? [];
  if (stays.length < 2) return span;
  return `${span}; in the meeting ${stays.map((s) => `from ${time(s.joinedAt, zone)} to ${s.leftAt ? time(s.leftAt, zone) : 'the end'}`).join(', ')}`;
}

/** `2026-11-23 10:05 (Europe/Oslo)`: in the network's zone, named. */
function time(iso: string, zone: string): string {
  return recordTime(iso, zone);
}

/** `Maria (network member, 2026-11-23 10:05 (Europe/Oslo)): text`. */
function entryMarkdown(e: RecordEntry, zone: string): string {
  return `${md(e.author)} (${ROLE_LABELS[e.role]}, ${time(e.writtenAt, zone)}): ${md(e.text).replaceAll('\n', ' ')}`;
}

function entryHtml(e: RecordEntry, zone: string): string {
  return `<strong>${html(e.author)}</strong> <span class="role">(${ROLE_LABELS[e.role]}, ${html(time(e.writtenAt, zone))})</span>: ${lines(e.text)}`;
}

/**
 * The map in words: the Markdown is pasted into clinical systems as text, and carries no links or images
 * (a data-URI image would be an unreadable blob there, and an image is what the hostile-notes rules keep
 * out of it). The drawing is in the PDF and on the record page.
 */
function mapMarkdown(map: RecordMap | undefined): string[] {
  if (!map || map.people.length === 0) return [`Nobody was placed on the network map${map ? ` of ${md(map.centreName)}` : ''}.`];
  return [`At the centre: ${md(map.centreName)}`, '', ...mapText(map).map((line) => `- ${md(line)}`), '', 'The map as drawn is in the PDF of this record.'];
}

function mapHtml(map: RecordMap | undefined): string {
  if (!map || map.people.length === 0) return `<p class="empty">Nobody was placed on the network map${map ? ` of ${html(map.centreName)}` : ''}.</p>`;
  // Drawn afresh from the map's data with every label escaped, never from a stored SVG string (a record kept
  // elsewhere must not carry markup into the printed page); inline, so the PDF has vectors with real text.
  return `${networkMapSvg(map)}<ul>${mapText(map).map((line) => `<li>${html(line)}</li>`).join('')}</ul>`;
}

/** Each person with their relationship and closeness, and whom they are connected with. */
function mapText(map: RecordMap): string[] {
  const names = new Map(map.people.map((p) => [p.id, p.name]));
  return map.people.map((p) => {
    const links = map.connections.flatMap((c) => (c.from === p.id ? [c.to] : c.to === p.id ? [c.from] : [])).map((id) => names.get(id) ?? '');
    const about = [p.relationship, CLOSENESS_LABELS[p.closeness]].filter(Boolean).join(', ');
    return `${p.name} (${about})${links.length ? `, connected with ${links.join(', ')}` : ''}`;
  });
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
