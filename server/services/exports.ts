import { ApiError } from '../errors.ts';
import type { Stores } from '../store/stores.ts';
import type { Access } from './access.ts';
import { printPdf } from './pdfPrinter.ts';
import type { Principal } from './principal.ts';
import { progressNoteHtml, progressNoteMarkdown } from './progressNote.ts';
import { recordOf } from './records.ts';

export type ExportFormat = 'md' | 'pdf';

/** A finished export: bytes, their type and a file name without personal data (the meeting's date and id). */
export interface ExportFile {
  body: Uint8Array;
  contentType: string;
  fileName: string;
}

export interface ExportDeps {
  stores: Stores;
  access: Access;
  now: () => Date;
  /** Prints HTML to PDF; Chromium by default, replaceable in tests. */
  print?: (html: string) => Promise<Uint8Array>;
}

/**
 * Exports a meeting's record as a progress note for the clinical record, or for the family to print or
 * keep: the network's team and its own members (through their invite link) get the same file; nobody
 * else's network is reachable. Every export is written to the audit log, without its content.
 */
export function createExportService({ stores, access, now, print = printPdf }: ExportDeps) {
  return {
    async exportMeeting(principal: Principal, meetingId: string, format: ExportFormat): Promise<ExportFile> {
      const meeting = await stores.meetings.get(meetingId);
      if (!meeting) throw new ApiError('not_found', 'This meeting does not exist.');
      await access.requireNetwork(principal, meeting.networkId);
      const record = await recordOf(stores, meeting, now());
      const body = format === 'md' ? new TextEncoder().encode(progressNoteMarkdown(record)) : await print(progressNoteHtml(record));
      await stores.audit.record({ at: now().toISOString(), ...exporter(principal), action: 'export', networkId: meeting.networkId, meetingId });
      return {
        body,
        contentType: format === 'md' ? 'text/markdown; charset=utf-8' : 'application/pdf',
        fileName: `progress-note-${meeting.scheduledAt.slice(0, 10)}-${meeting.id}.${format}`,
      };
    },
  };
}

/** Who exported, for the audit log: the member through their link, else the team member or the CLI. */
function exporter(principal: Principal): { actorKind: 'user' | 'member' | 'system'; actorId: string | undefined } {
  if (principal.kind === 'member') return { actorKind: 'member', actorId: principal.member.id };
  if (principal.kind === 'user') return { actorKind: 'user', actorId: principal.user.id };
  return { actorKind: 'system', actorId: undefined };
}

export type ExportService = ReturnType<typeof createExportService>;
