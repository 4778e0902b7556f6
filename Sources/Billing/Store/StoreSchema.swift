import GRDB

/// The store's schema, versioned in code. A migration, once shipped, is never edited: later
/// changes are new migrations ("v2", ...) so every existing file upgrades the same way.
///
/// All times are INTEGER ms since the Unix epoch; money is INTEGER minor units (KES cents);
/// lists are JSON text. The DDL sticks to types and constraints PostgreSQL also has, except
/// `INTEGER PRIMARY KEY` for the two append-only logs (BIGSERIAL there).
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        // Issue 5: hosts a workspace's voice apps may `play` from (NULL = any host).
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE workspaces ADD COLUMN play_allowed_hosts TEXT")
        }
        return migrator
    }

    static let v1 = """
    CREATE TABLE workspaces (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        currency TEXT NOT NULL,
        inbound_rate_minor INTEGER NOT NULL,
        outbound_rate_minor INTEGER NOT NULL,
        billing_increment_seconds INTEGER NOT NULL,
        low_balance_threshold_minor INTEGER NOT NULL,
        signing_secret TEXT NOT NULL,
        recording_retention_days INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX workspaces_name ON workspaces(name);

    CREATE TABLE wallets (
        workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        balance_minor INTEGER NOT NULL,
        currency TEXT NOT NULL,
        low_balance_threshold_minor INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );

    CREATE TABLE api_keys (
        id TEXT PRIMARY KEY NOT NULL,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        scopes TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        last_used_at INTEGER
    );
    CREATE UNIQUE INDEX api_keys_hash ON api_keys(key_hash);
    CREATE INDEX api_keys_page ON api_keys(workspace_id, created_at, id);

    CREATE TABLE numbers (
        id TEXT PRIMARY KEY NOT NULL,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        e164 TEXT NOT NULL,
        route TEXT NOT NULL,
        voice_callback_url TEXT,
        fallback_url TEXT,
        events_url TEXT,
        status TEXT NOT NULL,
        name TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        released_at INTEGER
    );
    -- At most one active row per number, whichever code path or node inserts it.
    CREATE UNIQUE INDEX numbers_active_e164 ON numbers(e164) WHERE status = 'active';
    CREATE INDEX numbers_page ON numbers(workspace_id, created_at, id);

    CREATE TABLE calls (
        id TEXT PRIMARY KEY NOT NULL,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        session_id TEXT NOT NULL,
        direction TEXT NOT NULL,
        local_e164 TEXT NOT NULL,
        remote_e164 TEXT NOT NULL,
        number_id TEXT REFERENCES numbers(id),
        started_at INTEGER NOT NULL,
        answered_at INTEGER,
        ended_at INTEGER,
        last_activity_at INTEGER NOT NULL,
        duration_seconds INTEGER,
        status TEXT NOT NULL,
        cost_minor INTEGER,
        cost_currency TEXT NOT NULL,
        rate_per_minute_minor INTEGER NOT NULL,
        failure_code TEXT,
        sip_status INTEGER,
        ledger_entry_id TEXT,
        client_request_id TEXT,
        metadata TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX calls_page ON calls(workspace_id, started_at, id);
    CREATE INDEX calls_session ON calls(workspace_id, session_id);
    CREATE INDEX calls_live ON calls(ended_at) WHERE ended_at IS NULL;

    CREATE TABLE call_events (
        id INTEGER PRIMARY KEY,
        call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        at INTEGER NOT NULL
    );
    CREATE INDEX call_events_call ON call_events(call_id, at, id);

    CREATE TABLE wallet_ledger (
        id TEXT PRIMARY KEY NOT NULL,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        amount_minor INTEGER NOT NULL,
        balance_after_minor INTEGER NOT NULL,
        call_id TEXT REFERENCES calls(id),
        reference TEXT,
        created_at INTEGER NOT NULL
    );
    -- A call is debited at most once, even by another code path or another node
    -- (NULLs, i.e. top-ups, never collide).
    CREATE UNIQUE INDEX wallet_ledger_call ON wallet_ledger(call_id);
    CREATE INDEX wallet_ledger_page ON wallet_ledger(workspace_id, created_at, id);

    CREATE TABLE idempotency_keys (
        workspace_id TEXT NOT NULL,
        key TEXT NOT NULL,
        method_path TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status_code INTEGER NOT NULL,
        response_body BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, key, method_path)
    );

    CREATE TABLE webhooks (
        id TEXT PRIMARY KEY NOT NULL,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        secret TEXT NOT NULL,
        previous_secret TEXT,
        previous_secret_expires_at INTEGER,
        created_at INTEGER NOT NULL,
        deleted_at INTEGER
    );
    CREATE INDEX webhooks_page ON webhooks(workspace_id, created_at, id);

    CREATE TABLE webhook_events (
        id TEXT PRIMARY KEY NOT NULL,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        data TEXT NOT NULL
    );

    CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY NOT NULL,
        event_id TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
        webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at INTEGER,
        last_attempt_at INTEGER,
        last_status_code INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
    CREATE INDEX webhook_deliveries_page ON webhook_deliveries(webhook_id, created_at, id);

    CREATE TABLE delivery_attempts (
        id INTEGER PRIMARY KEY,
        delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        status_code INTEGER,
        error TEXT,
        duration_ms INTEGER NOT NULL
    );
    CREATE INDEX delivery_attempts_delivery ON delivery_attempts(delivery_id, id);

    CREATE TABLE recordings (
        id TEXT PRIMARY KEY NOT NULL,
        call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        path TEXT,
        duration_seconds INTEGER,
        bytes INTEGER,
        created_at INTEGER NOT NULL,
        ready_at INTEGER,
        expires_at INTEGER
    );
    CREATE INDEX recordings_call ON recordings(call_id, created_at, id);
    """
}
