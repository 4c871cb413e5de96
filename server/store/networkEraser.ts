import type { DatabaseSync } from 'node:sqlite';
import { compactOffThread } from './offThreadCompaction.ts';
import { transaction } from './transaction.ts';

/** What an erasure removed, by kind (counts only: never a name). */
export interface ErasureCounts {
  meetings: number;
  members: number;
  invites: number;
  documents: number;
  documentRows: number;
  auditEntries: number;
  /**
   * False when another connection kept the erased bytes in the files (a long read): on SQLite the write-ahead
   * log could not be emptied, on PostgreSQL VACUUM could not yet remove the deleted rows (a later one will).
   */
  logCleared: boolean;
}

export interface NetworkEraser {
  /**
   * Removes a network and everything of it: meetings, their documents and the network's document, members,
   * invites, team assignments, schedules, addenda, sealed records, notes versions and its audit entries; then makes sure nothing of it stays
   * readable in the files (see the SQLite implementation). Undefined when there is no such network.
   */
  erase(networkId: string): Promise<ErasureCounts | undefined>;
}

/**
 * {@link NetworkEraser} on SQLite. Deleted rows alone are not enough for health data: their bytes stay in
 * free pages and in the write-ahead log. The database runs with `secure_delete` (set in openDatabase), so
 * deleted content is overwritten with zeros; VACUUM then rebuilds the file from live rows only (also wiping
 * what was deleted before secure_delete was on, e.g. by compaction), and a TRUNCATE checkpoint empties the
 * write-ahead log that still holds the old page images. Those two run on a thread of their own (see
 * offThreadCompaction.ts), so the meetings go on meanwhile; the erasure answers once they are done.
 */
export function createSqliteNetworkEraser(db: DatabaseSync): NetworkEraser {
  const network = db.prepare('SELECT id FROM networks WHERE id = ?');
  const meetingIds = db.prepare('SELECT id FROM meetings WHERE network_id = ?');
  const deleteDoc = db.prepare('DELETE FROM doc_updates WHERE doc_name = ?');
  // Who wrote with which client id: personal data of the network as much as the text itself.
  const deleteDocClients = db.prepare('DELETE FROM doc_clients WHERE doc_name = ?');
  const markErased = db.prepare('INSERT OR IGNORE INTO erased_documents (doc_name, erased_at) VALUES (?, ?)');
  const statements = {
    addenda: db.prepare('DELETE FROM meeting_addenda WHERE network_id = ?'),
    sealedRecords: db.prepare('DELETE FROM sealed_records WHERE network_id = ?'),
    attendance: db.prepare('DELETE FROM attendance WHERE meeting_id IN (SELECT id FROM meetings WHERE network_id = ?)'),
    notesVersions: db.prepare('DELETE FROM notes_versions WHERE meeting_id IN (SELECT id FROM meetings WHERE network_id = ?)'),
    schedules: db.prepare('DELETE FROM meeting_schedule WHERE meeting_id IN (SELECT id FROM meetings WHERE network_id = ?)'),
    audit: db.prepare('DELETE FROM audit_log WHERE network_id = ?'),
    invites: db.prepare('DELETE FROM invites WHERE network_id = ?'),
    members: db.prepare('DELETE FROM network_members WHERE network_id = ?'),
    meetings: db.prepare('DELETE FROM meetings WHERE network_id = ?'),
    team: db.prepare('DELETE FROM network_team WHERE network_id = ?'),
    closures: db.prepare('DELETE FROM network_closures WHERE network_id = ?'),
    network: db.prepare('DELETE FROM networks WHERE id = ?'),
  };

  return {
    async erase(networkId) {
      if (!network.get(networkId)) return undefined;
      const counts = transaction(db, () => {
        const meetings = meetingIds.all(networkId).map((row) => String(row['id']));
        let documentRows = 0;
        for (const docName of [...meetings.map((id) => `meeting-${id}`), `network-${networkId}`]) {
          documentRows += Number(deleteDoc.run(docName).changes);
          deleteDocClients.run(docName);
          markErased.run(docName, new Date().toISOString());
        }
        statements.addenda.run(networkId);
        statements.sealedRecords.run(networkId);
        statements.attendance.run(networkId);
        statements.notesVersions.run(networkId);
        statements.schedules.run(networkId);
        const auditEntries = Number(statements.audit.run(networkId).changes);
        const invites = Number(statements.invites.run(networkId).changes);
        const members = Number(statements.members.run(networkId).changes);
        statements.meetings.run(networkId);
        statements.team.run(networkId);
        statements.closures.run(networkId);
        statements.network.run(networkId);
        return { meetings: meetings.length, members, invites, documents: meetings.length + 1, documentRows, auditEntries };
      });
      return { ...counts, logCleared: await compactOffThread(db) };
    },
  };
}
