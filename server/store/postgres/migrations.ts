/**
 * PostgreSQL schema migrations: the same version numbers as the SQLite ones (server/store/migrations.ts),
 * each bringing the same tables and columns, so that a version number means one schema on both engines and
 * `db copy` can move rows one to one. Never edit a shipped one: add the next, with the SQLite one.
 *
 * Dialect choices: times stay ISO 8601 text as on SQLite (they are compared as strings everywhere, and a
 * copied row must read back byte for byte); BLOB is BYTEA; AUTOINCREMENT is an identity column.
 * What SQLite has no counterpart of is for several writers: `doc_heads` (version 1), the per-document counter
 * and ownership epoch of the document log (see docStore.ts in this folder), and a partial unique index that
 * keeps one current team assignment per person and network (version 2). For SQLite's rowid, read as an order,
 * `meeting_team.chosen_order` (version 15).
 */
export const POSTGRES_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meetings (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE doc_updates (
        doc_name TEXT NOT NULL,
        seq BIGINT NOT NULL,
        data BYTEA NOT NULL,
        PRIMARY KEY (doc_name, seq)
      );
      -- One row per document that was ever written: the last sequence number given out and the current
      -- owner's epoch. Appends and compactions update or lock this row, so they are serialised per document
      -- and the epoch check is in the same transaction as the write (a fencing token).
      CREATE TABLE doc_heads (
        doc_name TEXT PRIMARY KEY,
        last_seq BIGINT NOT NULL DEFAULT 0,
        epoch BIGINT NOT NULL DEFAULT 0
      );
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
      CREATE TABLE network_team (
        network_id TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id),
        assigned_at TEXT NOT NULL,
        unassigned_at TEXT,
        reason TEXT,
        PRIMARY KEY (network_id, user_id, assigned_at)
      );
      -- Not on SQLite, whose one writer checks before it inserts: several instances need the database to keep
      -- one current assignment per person and network.
      CREATE UNIQUE INDEX network_team_current ON network_team (network_id, user_id) WHERE unassigned_at IS NULL;
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
      ALTER TABLE meetings ADD COLUMN network_id TEXT REFERENCES networks(id) ON DELETE CASCADE;
      ALTER TABLE meetings ADD COLUMN scheduled_at TEXT;
      ALTER TABLE meetings ADD COLUMN status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended'));
      ALTER TABLE meetings ADD COLUMN ended_at TEXT;
      CREATE INDEX meetings_by_network ON meetings (network_id);
      CREATE TABLE audit_log (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
      CREATE TABLE meeting_schedule (
        meeting_id TEXT PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
        series_id TEXT,
        duration_minutes INTEGER NOT NULL DEFAULT 60,
        sequence INTEGER NOT NULL DEFAULT 0
      );
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
      CREATE TABLE network_closures (
        network_id TEXT PRIMARY KEY REFERENCES networks(id) ON DELETE CASCADE,
        closed_at TEXT NOT NULL
      );
      CREATE INDEX meetings_by_ended ON meetings (ended_at);
    `,
  },
  {
    version: 4,
    sql: `CREATE TABLE erased_documents (doc_name TEXT PRIMARY KEY, erased_at TEXT NOT NULL);`,
  },
  {
    version: 5,
    sql: `
      ALTER TABLE users ADD COLUMN deactivated_at TEXT;
      ALTER TABLE sessions ADD COLUMN id TEXT;
      ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
      ALTER TABLE sessions ADD COLUMN user_agent TEXT;
      ALTER TABLE sessions ADD COLUMN address TEXT;
      UPDATE sessions SET id = replace(gen_random_uuid()::text, '-', ''), last_seen_at = created_at;
      CREATE UNIQUE INDEX sessions_by_id ON sessions (id);
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE TABLE password_resets (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX password_resets_by_user ON password_resets (user_id);
      ALTER TABLE audit_log ADD COLUMN reason TEXT;
    `,
  },
  {
    version: 7,
    sql: `
      CREATE TABLE access_events (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        origin TEXT NOT NULL,
        at TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX access_events_by_at ON access_events (at);
      CREATE INDEX invites_by_expiry ON invites (expires_at);
    `,
  },
  {
    version: 8,
    sql: `
      CREATE TABLE attendance (
        event_id TEXT PRIMARY KEY,
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        identity TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('joined', 'left')),
        at TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      CREATE INDEX attendance_by_meeting ON attendance (meeting_id, at);
      ALTER TABLE networks ADD COLUMN person_member_id TEXT REFERENCES network_members(id) ON DELETE SET NULL;
    `,
  },
  {
    version: 9,
    sql: `
      CREATE TABLE doc_clients (
        doc_name TEXT NOT NULL,
        client_id BIGINT NOT NULL,
        participant_id TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (doc_name, client_id)
      );
    `,
  },
  {
    version: 10,
    sql: `ALTER TABLE networks ADD COLUMN time_zone TEXT;`,
  },
  {
    version: 11,
    sql: `
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
        content BYTEA NOT NULL,
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
      -- As SQLite's 13: interpreting as two things, and members removed with their row kept.
      ALTER TABLE network_members ADD COLUMN interpreter_language TEXT;
      ALTER TABLE network_members ADD COLUMN needs_interpreter_in TEXT;
      ALTER TABLE network_members ADD COLUMN removed_at TEXT;
      ALTER TABLE network_members ADD COLUMN removed_reason TEXT;
    `,
  },
  {
    version: 15,
    sql: `
      -- As SQLite's 15: the team members chosen to come to a meeting. chosen_order is not on SQLite, which
      -- reads a meeting's rows back in rowid order, the order they were chosen in; PostgreSQL has no such
      -- order. (Added to this migration before any server ran on PostgreSQL.) An identity default, so that
      -- rows copied from SQLite in rowid order keep their order.
      CREATE TABLE meeting_team (
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id),
        chosen_order BIGINT GENERATED BY DEFAULT AS IDENTITY,
        PRIMARY KEY (meeting_id, user_id)
      );
    `,
  },
  {
    version: 16,
    sql: `
      -- As SQLite's 16: failed logins and LiveKit webhooks acted on, shared by every instance.
      CREATE TABLE login_failures (
        key TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX login_failures_by_key ON login_failures (key, at);
      CREATE INDEX login_failures_by_time ON login_failures (at);
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
      -- Document leases (server/cluster/leasedOwnership.ts, docStore.ts's claim): the instance that claimed a
      -- document holds it until lease_until (the database's clock, so instances' clocks do not matter) and
      -- renews it while it serves the document; another instance may claim it only once the lease has run
      -- out or was released, so a live owner is never taken over and a dead one's documents are free within
      -- one lease. lease_wanted: another instance was refused the document (the load balancer sent it a
      -- client), so the owner hands it over at its next renewal. SQLite's 17 adds nothing (one process).
      ALTER TABLE doc_heads ADD COLUMN lease_holder TEXT;
      ALTER TABLE doc_heads ADD COLUMN lease_until TIMESTAMPTZ;
      ALTER TABLE doc_heads ADD COLUMN lease_wanted BOOLEAN NOT NULL DEFAULT false;
    `,
  },
  {
    version: 18,
    sql: `
      -- The document log's group commit (server/store/postgres/docAppendBatch.ts) in one function, so that a
      -- batch is one statement: one round trip, and plans PL/pgSQL keeps per connection instead of a planning
      -- of every statement per batch. Called on its own (autocommit), the call is the transaction.
      --
      -- Group g writes group_sizes[g] updates (update_data where update_groups = g, in order of
      -- update_offsets) and the client bindings where binding_groups = g, unless refused, in this order of
      -- precedence: 'erased' (its name is in erased_documents), 'sealed' (group_meetings[g], the meeting of a
      -- meeting's document, has ended), 'fenced' (group_epochs[g] is not the head's epoch; NULL for a writer
      -- that never claimed, which passes only while the epoch is 0). A refused group writes nothing; the others
      -- of the batch are written. Returns, per group in order, the refusal or NULL, and the document's last
      -- sequence number after the group.
      --
      -- Invariants: the head rows are created where missing and locked in the order of their names, in one
      -- statement (an erasure locks them in the same order, networkEraser.ts). VOLATILE: every statement after
      -- the locks takes a new snapshot (READ COMMITTED), so it sees an erasure or a meeting's end committed
      -- while this call waited for a lock; an erasure not yet committed waits for the head lock, and a
      -- meeting's end for the share lock on its row, so neither slips between the check and the write. A head
      -- this call created for a document that gets no row is deleted again, as a rollback would.
      CREATE FUNCTION polyphony_append_batch(
        group_docs TEXT[], group_epochs BIGINT[], group_meetings TEXT[], group_sizes INT[],
        update_groups INT[], update_offsets INT[], update_data BYTEA[],
        binding_groups INT[], binding_clients BIGINT[], binding_participants TEXT[], binding_at TEXT[]
      ) RETURNS TABLE (refused TEXT, written_seq BIGINT) LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        names TEXT[] := ARRAY(SELECT DISTINCT u.name FROM unnest(group_docs) AS u(name) ORDER BY 1);
        head_epochs BIGINT[] := array_fill(0::BIGINT, ARRAY[cardinality(names)]);
        head_seqs BIGINT[] := array_fill(0::BIGINT, ARRAY[cardinality(names)]);
        touched BOOLEAN[] := array_fill(false, ARRAY[cardinality(names)]);
        created TEXT[] := '{}';
        ended TEXT[] := '{}';
        erased TEXT[];
        refusals TEXT[] := '{}';
        first_seqs BIGINT[] := '{}';
        last_seqs BIGINT[] := '{}';
        head RECORD;
        h INT;
      BEGIN
        FOR head IN
          INSERT INTO doc_heads AS d (doc_name) SELECT u.name FROM unnest(names) AS u(name) ORDER BY 1
          ON CONFLICT (doc_name) DO UPDATE SET doc_name = excluded.doc_name
          RETURNING d.doc_name, d.epoch, d.last_seq, (d.xmax = 0) AS is_new
        LOOP
          h := array_position(names, head.doc_name);
          head_epochs[h] := head.epoch;
          head_seqs[h] := head.last_seq;
          IF head.is_new THEN created := created || head.doc_name; END IF;
        END LOOP;
        -- Each statement an idle backend runs costs a cold start: those with nothing to do are skipped.
        IF cardinality(array_remove(group_meetings, NULL)) > 0 THEN
          SELECT coalesce(array_agg(m.id) FILTER (WHERE m.status = 'ended'), '{}') INTO ended
            FROM (SELECT mt.id, mt.status FROM meetings AS mt WHERE mt.id = ANY(group_meetings) ORDER BY mt.id FOR SHARE) AS m;
        END IF;
        SELECT coalesce(array_agg(e.doc_name), '{}') INTO erased FROM erased_documents AS e WHERE e.doc_name = ANY(names);
        FOR g IN 1 .. cardinality(group_docs) LOOP
          h := array_position(names, group_docs[g]);
          refusals[g] := CASE
            WHEN group_docs[g] = ANY(erased) THEN 'erased'
            WHEN group_meetings[g] = ANY(ended) THEN 'sealed'
            WHEN head_epochs[h] IS DISTINCT FROM coalesce(group_epochs[g], 0) THEN 'fenced'
          END;
          IF refusals[g] IS NULL THEN
            first_seqs[g] := head_seqs[h] + 1;
            head_seqs[h] := head_seqs[h] + group_sizes[g];
            touched[h] := touched[h] OR group_sizes[g] > 0;
          END IF;
          last_seqs[g] := head_seqs[h];
        END LOOP;
        INSERT INTO doc_updates (doc_name, seq, data)
          SELECT group_docs[u.g], first_seqs[u.g] + u.k, u.data FROM unnest(update_groups, update_offsets, update_data) AS u(g, k, data)
          WHERE refusals[u.g] IS NULL;
        UPDATE doc_heads AS d SET last_seq = u.seq FROM unnest(names, head_seqs, touched) AS u(name, seq, t)
          WHERE d.doc_name = u.name AND u.t;
        IF cardinality(binding_groups) > 0 THEN
          -- DO NOTHING: a binding is never changed once made (the sync server refuses a client id bound to another).
          INSERT INTO doc_clients (doc_name, client_id, participant_id, first_seen_at)
            SELECT group_docs[b.g], b.c, b.p, b.a FROM unnest(binding_groups, binding_clients, binding_participants, binding_at) AS b(g, c, p, a)
            WHERE refusals[b.g] IS NULL ON CONFLICT DO NOTHING;
        END IF;
        IF cardinality(created) > 0 THEN
          DELETE FROM doc_heads AS d WHERE d.doc_name = ANY(created) AND d.last_seq = 0 AND d.epoch = 0
            AND NOT touched[array_position(names, d.doc_name)];
        END IF;
        RETURN QUERY SELECT r.refused, r.seq FROM unnest(refusals, last_seqs) WITH ORDINALITY AS r(refused, seq, n) ORDER BY r.n;
      END
      $fn$;
    `,
  },
  {
    version: 19,
    sql: `
      -- A batch of one document (what a quiet meeting commits: one keystroke, one document) as a function of
      -- its own: polyphony_append_batch's statements over arrays cost about 0.6 ms more per call than these
      -- (medians of 200 calls one every 50 ms, bench/RESULTS.md), where the whole commit takes 2 to 3 ms.
      -- Same outcome and same invariants as polyphony_append_batch (migration 18) for one group: the head
      -- is created where missing and locked before anything is checked; each statement after the lock takes a
      -- new snapshot (VOLATILE, READ COMMITTED), so an erasure or a meeting's end committed while this call
      -- waited for the lock is seen; the meeting's row is share-locked, so its end waits for this write (or
      -- this write for its end); refusals in the order erased, sealed, fenced; a head this call created for a
      -- document that gets no row is deleted again. Returns one row: the refusal or NULL, and the document's
      -- last sequence number after the call.
      CREATE FUNCTION polyphony_append_one(
        doc TEXT, writer_epoch BIGINT, meeting TEXT, update_data BYTEA[],
        binding_clients BIGINT[], binding_participants TEXT[], binding_at TEXT[]
      ) RETURNS TABLE (refused TEXT, written_seq BIGINT) LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        head_epoch BIGINT;
        head_seq BIGINT;
        created BOOLEAN := false;
        meeting_status TEXT;
        is_erased BOOLEAN;
        refusal TEXT;
      BEGIN
        -- A head deleted (an erasure) while this waited for its lock is not returned: it is made again, and
        -- the erasure check below refuses the write.
        LOOP
          SELECT d.epoch, d.last_seq INTO head_epoch, head_seq FROM doc_heads AS d WHERE d.doc_name = doc FOR UPDATE;
          EXIT WHEN FOUND;
          INSERT INTO doc_heads (doc_name) VALUES (doc) ON CONFLICT (doc_name) DO NOTHING;
          IF FOUND THEN created := true; END IF;
        END LOOP;
        IF meeting IS NOT NULL THEN
          SELECT m.status INTO meeting_status FROM meetings AS m WHERE m.id = meeting FOR SHARE;
        END IF;
        SELECT EXISTS (SELECT 1 FROM erased_documents AS e WHERE e.doc_name = doc) INTO is_erased;
        refusal := CASE
          WHEN is_erased THEN 'erased'
          WHEN meeting_status = 'ended' THEN 'sealed'
          WHEN head_epoch IS DISTINCT FROM coalesce(writer_epoch, 0) THEN 'fenced'
        END;
        IF refusal IS NULL AND cardinality(update_data) > 0 THEN
          INSERT INTO doc_updates (doc_name, seq, data)
            SELECT doc, head_seq + u.k, u.data FROM unnest(update_data) WITH ORDINALITY AS u(data, k);
          head_seq := head_seq + cardinality(update_data);
          UPDATE doc_heads AS d SET last_seq = head_seq WHERE d.doc_name = doc;
        END IF;
        IF refusal IS NULL AND cardinality(binding_clients) > 0 THEN
          -- DO NOTHING: a binding is never changed once made (the sync server refuses a client id bound to another).
          INSERT INTO doc_clients (doc_name, client_id, participant_id, first_seen_at)
            SELECT doc, b.c, b.p, b.a FROM unnest(binding_clients, binding_participants, binding_at) AS b(c, p, a)
            ON CONFLICT DO NOTHING;
        END IF;
        IF created AND (refusal IS NOT NULL OR cardinality(update_data) = 0) THEN
          DELETE FROM doc_heads AS d WHERE d.doc_name = doc AND d.last_seq = 0 AND d.epoch = 0;
        END IF;
        RETURN QUERY SELECT refusal, head_seq;
      END
      $fn$;
    `,
  },
];
