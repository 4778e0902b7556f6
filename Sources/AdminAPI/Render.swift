import Billing

/// Store records as wire JSON (admin-api.md: snake_case fields, RFC 3339 times, money in
/// minor units with its currency).
enum Render {
    static func workspace(_ w: Workspace) -> JSONValue {
        .object([("id", .string(w.id)), ("name", .string(w.name)), ("currency", .string(w.currency)),
                 ("inbound_rate_per_minute_minor", .int(w.inboundRateMinor)),
                 ("outbound_rate_per_minute_minor", .int(w.outboundRateMinor)),
                 ("billing_increment_seconds", .int(w.billingIncrementSeconds)),
                 ("low_balance_threshold_minor", .int(w.lowBalanceThresholdMinor)),
                 ("recording_retention_days", .int(Int64(w.recordingRetentionDays))),
                 ("signing_secret", .string(w.signingSecret)),
                 ("play_allowed_hosts", w.playHosts.map { .array($0.map { .string($0) }) } ?? .null),
                 ("created_at", Timestamp.format(w.createdAt))])
    }

    static func apiKey(_ k: APIKey) -> JSONValue {
        .object([("id", .string(k.id)), ("workspace_id", .string(k.workspaceID)), ("name", .string(k.name)),
                 ("prefix", .string(k.prefix)), ("scopes", .array(k.scopes.map { .string($0) })),
                 ("created_at", Timestamp.format(k.createdAt)), ("revoked_at", Timestamp.format(k.revokedAt)),
                 ("last_used_at", Timestamp.format(k.lastUsedAt))])
    }

    static func number(_ n: NumberRecord) -> JSONValue {
        .object([("id", .string(n.id)), ("workspace_id", .string(n.workspaceID)), ("e164", .string(n.e164)),
                 ("route", .string(n.route)), ("voice_callback_url", .opt(n.voiceCallbackURL)),
                 ("fallback_url", .opt(n.fallbackURL)), ("events_url", .opt(n.eventsURL)), ("status", .string(n.status)),
                 ("created_at", Timestamp.format(n.createdAt)), ("updated_at", Timestamp.format(n.updatedAt)),
                 ("released_at", Timestamp.format(n.releasedAt))])
    }

    static func call(_ c: CallRecord, events: [CallEventRecord]? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(c.id)), ("workspace_id", .string(c.workspaceID)), ("session_id", .string(c.sessionID)),
            ("direction", .string(c.direction)), ("local_e164", .string(c.localE164)), ("remote_e164", .string(c.remoteE164)),
            ("started_at", Timestamp.format(c.startedAt)), ("answered_at", Timestamp.format(c.answeredAt)),
            ("ended_at", Timestamp.format(c.endedAt)), ("duration_seconds", .opt(c.durationSeconds)),
            ("status", .string(c.status)), ("cost_minor", .opt(c.costMinor)), ("cost_currency", .string(c.costCurrency)),
            ("rate_per_minute_minor", .int(c.ratePerMinuteMinor)), ("failure_code", .opt(c.failureCode)),
            ("sip_status", .opt(c.sipStatus)), ("ledger_entry_id", .opt(c.ledgerEntryID)),
            ("client_request_id", .opt(c.clientRequestID)), ("metadata", rawJSON(c.metadata)),
            ("created_at", Timestamp.format(c.createdAt)), ("updated_at", Timestamp.format(c.updatedAt)),
        ]
        if let events { fields.append(("events", .array(events.map(event)))) }
        return .object(fields)
    }

    static func event(_ e: CallEventRecord) -> JSONValue {
        .object([("id", .opt(e.id)), ("type", .string(e.type)), ("at", Timestamp.format(e.at)), ("payload", rawJSON(e.payload))])
    }

    static func wallet(_ w: WalletRecord) -> JSONValue {
        .object([("workspace_id", .string(w.workspaceID)), ("balance_minor", .int(w.balanceMinor)),
                 ("currency", .string(w.currency)), ("low_balance_threshold_minor", .int(w.lowBalanceThresholdMinor)),
                 ("updated_at", Timestamp.format(w.updatedAt))])
    }

    static func ledger(_ e: LedgerEntry) -> JSONValue {
        .object([("id", .string(e.id)), ("workspace_id", .string(e.workspaceID)), ("kind", .string(e.kind)),
                 ("amount_minor", .int(e.amountMinor)), ("balance_after_minor", .int(e.balanceAfterMinor)),
                 ("call_id", .opt(e.callID)), ("reference", .opt(e.reference)), ("created_at", Timestamp.format(e.createdAt))])
    }

    static func webhook(_ w: Webhook, showSecret: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(w.id)), ("workspace_id", .string(w.workspaceID)), ("url", .string(w.url)),
            ("events", .array(w.events.map { .string($0) })), ("created_at", Timestamp.format(w.createdAt)),
            ("previous_secret_expires_at", Timestamp.format(w.previousSecretExpiresAt)),
        ]
        if showSecret { fields.append(("secret", .string(w.secret))) }
        return .object(fields)
    }

    static func delivery(_ d: WebhookDelivery) -> JSONValue {
        .object([("id", .string(d.id)), ("event_id", .string(d.eventID)), ("webhook_id", .string(d.webhookID)),
                 ("status", .string(d.status)), ("attempts", .int(Int64(d.attempts))),
                 ("next_attempt_at", Timestamp.format(d.nextAttemptAt)), ("last_attempt_at", Timestamp.format(d.lastAttemptAt)),
                 ("last_status_code", .opt(d.lastStatusCode)), ("last_error", .opt(d.lastError)),
                 ("created_at", Timestamp.format(d.createdAt))])
    }

    /// Stored JSON text (payloads, metadata) embedded as JSON, not as a string.
    static func rawJSON(_ text: String?) -> JSONValue {
        guard let text, !text.isEmpty else { return .null }
        return .raw(text)
    }
}
