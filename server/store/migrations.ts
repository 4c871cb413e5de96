/** Schema migrations, applied in order, each once. Never edit a shipped one: add the next. */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meetings (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- The append-only log of Yjs updates per document. A compaction replaces a prefix of it by one
      -- snapshot row in a single transaction, so the history is kept until the snapshot is written.
      CREATE TABLE doc_updates (
        doc_name TEXT NOT NULL,
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (doc_name, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('practitioner', 'peer_worker')),
        is_admin INTEGER NOT NULL DEFAULT 0,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- Only a hash of the session token is stored, so a copy of the database opens no session.
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE networks (
        id TEXT PRIMARY KEY,
        person_name TEXT NOT NULL,
        referred_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT REFERENCES users(id)
      );
      -- The team of a network; a row is never deleted, only closed, so changes of team stay on record.
      CREATE TABLE network_team (
        network_id TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id),
        assigned_at TEXT NOT NULL,
        unassigned_at TEXT,
        reason TEXT,
        PRIMARY KEY (network_id, user_id, assigned_at)
      );
      CREATE TABLE network_members (
        id TEXT PRIMARY KEY,
        network_id TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        relationship TEXT NOT NULL,
        contact TEXT,
        is_interpreter INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        network_id TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        member_id TEXT NOT NULL REFERENCES network_members(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE INDEX invites_by_member ON invites (member_id);
      -- Meetings now belong to a network. Walking-skeleton meetings had none; they cannot be reached any more.
      ALTER TABLE meetings ADD COLUMN network_id TEXT REFERENCES networks(id) ON DELETE CASCADE;
      ALTER TABLE meetings ADD COLUMN scheduled_at TEXT;
      ALTER TABLE meetings ADD COLUMN status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended'));
      ALTER TABLE meetings ADD COLUMN ended_at TEXT;
      CREATE INDEX meetings_by_network ON meetings (network_id);
      -- Who did what, when: ids and actions only, never note text.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'member', 'system', 'livekit')),
        actor_id TEXT,
        action TEXT NOT NULL,
        network_id TEXT,
        meeting_id TEXT,
        target_id TEXT
      );
      CREATE INDEX audit_by_network ON audit_log (network_id);
    `,
  },
  {
    version: 3,
    sql: `
      -- When a meeting is planned to last, which series it belongs to, and its calendar revision: an .ics
      -- event keeps its UID and carries a higher SEQUENCE each time the meeting is moved.
      CREATE TABLE meeting_schedule (
        meeting_id TEXT PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
        series_id TEXT,
        duration_minutes INTEGER NOT NULL DEFAULT 60,
        sequence INTEGER NOT NULL DEFAULT 0
      );
      -- What is added to a meeting's record after it was sealed: kept apart from the sealed document, with
      -- the author as the server knows them (not as a client claims) and the server's time.
      CREATE TABLE meeting_addenda (
        id TEXT PRIMARY KEY,
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        network_id TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        author_kind TEXT NOT NULL CHECK (author_kind IN ('user', 'member')),
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        author_role TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX addenda_by_meeting ON meeting_addenda (meeting_id, created_at);
      -- A network whose work has ended; the retention setting counts from here.
      CREATE TABLE network_closures (
        network_id TEXT PRIMARY KEY REFERENCES networks(id) ON DELETE CASCADE,
        closed_at TEXT NOT NULL
      );
      CREATE INDEX meetings_by_ended ON meetings (ended_at);
    `,
  },
  {
    version: 4,
    sql: `
      -- Names of documents whose network was erased (ids only, no content). The document store refuses to
      -- write them again, so a socket still open when the ops CLI erased a network cannot bring text back.
      CREATE TABLE erased_documents (doc_name TEXT PRIMARY KEY, erased_at TEXT NOT NULL) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    sql: `
      -- A deactivated account keeps its row (the record names its author) but cannot log in.
      ALTER TABLE users ADD COLUMN deactivated_at TEXT;
      -- Sessions get a public id (the token hash is never shown), when they were last used, and from where,
      -- so an admin can see and end them one by one. last_seen_at is written at most once a minute.
      ALTER TABLE sessions ADD COLUMN id TEXT;
      ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
      ALTER TABLE sessions ADD COLUMN user_agent TEXT;
      ALTER TABLE sessions ADD COLUMN address TEXT;
      UPDATE sessions SET id = lower(hex(randomblob(16))), last_seen_at = created_at;
      CREATE UNIQUE INDEX sessions_by_id ON sessions (id);
      CREATE INDEX sessions_by_user ON sessions (user_id);
      -- One-time password reset links: only the token's hash is kept; a row is deleted when it is used.
      CREATE TABLE password_resets (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX password_resets_by_user ON password_resets (user_id);
      -- Why an access change was made (a deactivation's reason), as the admin wrote it. Never note text.
      ALTER TABLE audit_log ADD COLUMN reason TEXT;
    `,
  },
  {
    version: 7,
    sql: `
      -- The access-event outbox (server/events): invite revoked, meeting ended, network erased, account
      -- deactivated... written by whichever process made the change, read by every process within a second.
      -- Ids only; rows are kept for minutes. AUTOINCREMENT: a sequence number is never reused, so a reader
      -- that remembers the last one it saw cannot miss or repeat an event.
      CREATE TABLE access_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        origin TEXT NOT NULL,
        at TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX access_events_by_at ON access_events (at);
      -- The expiry watcher asks every quarter second which invites have just run out.
      CREATE INDEX invites_by_expiry ON invites (expires_at);
    `,
  },
  {
    version: 8,
    sql: `
      -- Who was in a meeting's video, as LiveKit's signed webhooks tell it: one row per LiveKit event id, so a
      -- webhook LiveKit retries is recorded once. "at" is LiveKit's own time stamp. Events stamped once the
      -- meeting had ended are not written here (a rejoin after the end does not change the record).
      CREATE TABLE attendance (
        event_id TEXT PRIMARY KEY,
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        identity TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('joined', 'left')),
        at TEXT NOT NULL,
        received_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX attendance_by_meeting ON attendance (meeting_id, at);
      -- The member the network is about (one per network by the shape of the data); NULL until the team marks one.
      ALTER TABLE networks ADD COLUMN person_member_id TEXT REFERENCES network_members(id) ON DELETE SET NULL;
    `,
  },
  {
    version: 9,
    sql: `
      -- Which participant (user-<id> or member-<id>, from the sync connection the server authenticated) first
      -- wrote with each Yjs client id of a shared-space document. Written in the same transaction as that
      -- update, so no stored edit is ever without its author; the record names authors from here, never
      -- from names a client wrote into the document. Kept through compaction (which drops update rows).
      CREATE TABLE doc_clients (
        doc_name TEXT NOT NULL,
        client_id INTEGER NOT NULL,
        participant_id TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (doc_name, client_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    sql: `
      -- The network's own time zone (IANA, e.g. Europe/Oslo): the record gives every time in it. NULL for a
      -- network made before this column: the server's zone is used, as it was for the team's screens then.
      ALTER TABLE networks ADD COLUMN time_zone TEXT;
    `,
  },
  {
    version: 11,
    sql: `
      -- Versions of a meeting's notes, taken by the server (shared/api/notesHistory.ts says when). Rows are only
      -- added, never changed: a restore is a new version. "authors" holds the ticket subjects the server
      -- authenticated on the connections that made the change (ids only; names are read from the stores).
      -- "content" is the notes as ProseMirror JSON, deflated; "content_hash" finds a version restored later.
      CREATE TABLE notes_versions (
        id TEXT PRIMARY KEY,
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('edit', 'before_deletion', 'large_deletion', 'restore', 'reflecting_started', 'reflecting_ended', 'sealed')),
        created_at TEXT NOT NULL,
        authors TEXT NOT NULL,
        words INTEGER NOT NULL,
        chars INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        content BLOB NOT NULL,
        related_id TEXT,
        removed_words INTEGER,
        UNIQUE (meeting_id, seq)
      );
      CREATE INDEX notes_versions_by_hash ON notes_versions (meeting_id, content_hash);
    `,
  },
  {
    version: 12,
    sql: `
      -- The record of an ended meeting as it stood at its end (server/services/records.ts): everything it shows
      -- but the addenda, as JSON in the shape "format" names. Later changes to the network's document or the
      -- video room never reach it. One row per meeting, written once.
      CREATE TABLE sealed_records (
        meeting_id TEXT PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
        network_id TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        sealed_at TEXT NOT NULL,
        format INTEGER NOT NULL,
        content TEXT NOT NULL
      );
      CREATE INDEX sealed_records_by_network ON sealed_records (network_id);
    `,
  },
  {
    version: 13,
    sql: `
      -- Interpreting is two different things. is_interpreter always meant "this person IS the interpreter" (the
      -- team's screen read it as "needs one"), so existing rows keep it as it is; the language they interpret
      -- in is asked from now on (NULL for interpreters added before). needs_interpreter_in: the language in
      -- which a member needs an interpreter.
      ALTER TABLE network_members ADD COLUMN interpreter_language TEXT;
      ALTER TABLE network_members ADD COLUMN needs_interpreter_in TEXT;
      -- A member the team removed keeps their row: the record still names what they wrote. removed_reason is
      -- as the team member wrote it; their invites are revoked in the same change.
      ALTER TABLE network_members ADD COLUMN removed_at TEXT;
      ALTER TABLE network_members ADD COLUMN removed_reason TEXT;
    `,
  },
  {
    version: 15,
    sql: `
      -- The team members chosen to come to a meeting (server/services/meetingTeam.ts). A meeting without rows
      -- has the network's current team. Rows go with their meeting.
      CREATE TABLE meeting_team (
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id),
        PRIMARY KEY (meeting_id, user_id)
      );
    `,
  },
  {
    version: 16,
    sql: `
      -- What several instances must share, kept in the store instead of each process's memory. Failed logins
      -- (services/loginThrottle.ts): one row per failure under a keyed hash of what it counts against (the
      -- account, the address, or both), never the email or address itself; kept for the throttle's window.
      CREATE TABLE login_failures (
        key TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX login_failures_by_key ON login_failures (key, at);
      CREATE INDEX login_failures_by_time ON login_failures (at);
      -- LiveKit webhooks already acted on, by LiveKit's event id (routes/livekitWebhook.ts): a retry, or
      -- the same webhook delivered to another instance, is acted on once. Kept for a day.
      CREATE TABLE webhook_deliveries (
        event_id TEXT PRIMARY KEY,
        received_at TEXT NOT NULL
      );
      CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (received_at);
    `,
  },
  {
    version: 17,
    sql: `
      -- Version 17 is PostgreSQL's document leases (columns of its doc_heads, which SQLite has no counterpart
      -- of): several instances share one PostgreSQL, and an instance serving a document holds a lease on it.
      -- A SQLite data directory is served by one process, which holds every document: nothing to add. The
      -- version is recorded all the same, so that a version number means one schema on both engines.
      SELECT 1;
    `,
  },
  {
    version: 18,
    sql: `
      -- Version 18 is PostgreSQL's group commit as one function (polyphony_append_batch), so that a batch of
      -- appends is one statement and one round trip. SQLite commits on a connection of its own process:
      -- nothing to add, recorded all the same (see 17).
      SELECT 1;
    `,
  },
  {
    version: 19,
    sql: `
      -- Version 19 is PostgreSQL's commit of a batch of one document as a leaner function of its own
      -- (polyphony_append_one). Nothing to add here either, recorded all the same (see 17).
      SELECT 1;
    `,
  },
];
