import Crypto
import GRDB

/// An API key of a workspace. The secret is shown once at creation; the table keeps only
/// its SHA-256 (`key_hash`, not part of this struct), so a stolen database yields no keys.
public struct APIKey: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "api_keys"

    /// Every scope a key may carry (admin-api.md "Conventions").
    public static let allScopes: [String] = [
        "calls.read", "calls.write", "numbers.read", "numbers.write", "wallet.read", "wallet.write",
        "webhooks.read", "webhooks.write", "admin",
    ]

    public var id: String
    public var workspaceID: String
    public var name: String
    /// The first 11 characters of the secret ("sk_" + 8), to recognise a key in lists.
    public var prefix: String
    public var scopes: [String]
    public var createdAt: Int64
    public var revokedAt: Int64?
    /// Updated at most once a minute, so authentication is a read almost always.
    public var lastUsedAt: Int64?

    public init(id: String, workspaceID: String, name: String, prefix: String, scopes: [String],
                createdAt: Int64, revokedAt: Int64? = nil, lastUsedAt: Int64? = nil) {
        self.id = id
        self.workspaceID = workspaceID
        self.name = name
        self.prefix = prefix
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case workspaceID = "workspace_id"
        case name, prefix, scopes
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case lastUsedAt = "last_used_at"
    }

    /// Whether the key grants `scope` (`admin` grants everything).
    public func allows(_ scope: String) -> Bool {
        scopes.contains(scope) || scopes.contains("admin")
    }
}

/// What a presented secret turned out to be.
public enum KeyLookup: Sendable, Equatable {
    /// A live key.
    case valid(APIKey)
    /// `api_key.revoked`.
    case revoked
    /// `api_key.invalid`.
    case unknown
}

extension Store {
    /// How often `last_used_at` is written at most (ms).
    static let lastUsedResolutionMs: Int64 = 60_000

    /// Creates a key: secret "sk_" + 40 random base62 characters, stored only as SHA-256 hex.
    public func createAPIKey(workspaceID: String, name: String, scopes: [String]) throws -> (key: APIKey, secret: String) {
        guard !scopes.isEmpty else { throw StoreError.invalid(field: "scopes", message: "at least one scope is required") }
        for scope in scopes where !APIKey.allScopes.contains(scope) {
            throw StoreError.invalid(field: "scopes", message: "unknown scope \"\(scope)\"; allowed: \(APIKey.allScopes.joined(separator: ", "))")
        }
        guard name.utf8.count <= 200 else { throw StoreError.invalid(field: "name", message: "must be at most 200 characters") }
        var unique: [String] = []
        for scope in scopes where !unique.contains(scope) { unique.append(scope) }
        let secret = "sk_" + Secrets.base62(count: 40)
        let key = APIKey(id: ids(), workspaceID: workspaceID, name: name, prefix: String(secret.prefix(11)),
                         scopes: unique, createdAt: clock())
        try write { db in
            _ = try Store.workspace(db, id: workspaceID)
            try db.execute(sql: """
                INSERT INTO api_keys (id, workspace_id, name, prefix, scopes, key_hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key.id, key.workspaceID, key.name, key.prefix, Store.scopesJSON(unique),
                                 Store.keyHash(secret), key.createdAt])
        }
        return (key, secret)
    }

    /// Looks a presented secret up by its hash; refreshes `last_used_at` at most once a minute.
    public func authenticate(secret: String) throws -> KeyLookup {
        // Real secrets are 43 bytes; refuse to hash megabytes of hostile header.
        guard secret.utf8.count <= 256 else { return .unknown }
        let hash = Store.keyHash(secret)
        guard var key = try read({ db in
            try APIKey.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_hash = ?", arguments: [hash])
        }) else { return .unknown }
        if key.revokedAt != nil { return .revoked }
        let now = clock()
        if key.lastUsedAt.map({ now - $0 >= Store.lastUsedResolutionMs }) ?? true {
            try write { db in
                try db.execute(sql: "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND revoked_at IS NULL",
                               arguments: [now, key.id])
            }
            key.lastUsedAt = now
        }
        return .valid(key)
    }

    /// The keys of `workspaceID` (revoked ones included), newest first.
    public func apiKeys(workspaceID: String, after: PageKey? = nil, limit: Int = 25) throws -> Page<APIKey> {
        try read { db in
            var q = KeysetQuery(select: "SELECT * FROM api_keys", sortColumn: "created_at")
            q.filter("workspace_id = ?", workspaceID)
            return try q.page(db, after: after, limit: limit) { PageKey(at: $0.createdAt, id: $0.id) }
        }
    }

    /// Revokes a key (idempotent: revoking again returns it unchanged); `notFound("not_found")`.
    @discardableResult
    public func revokeAPIKey(workspaceID: String, id: String) throws -> APIKey {
        try write { db in
            guard var key = try APIKey.fetchOne(db, sql: "SELECT * FROM api_keys WHERE id = ? AND workspace_id = ?",
                                                arguments: [id, workspaceID]) else {
                throw StoreError.notFound("not_found")
            }
            if key.revokedAt == nil {
                let now = clock()
                try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ?", arguments: [now, id])
                key.revokedAt = now
            }
            return key
        }
    }

    /// SHA-256 of the secret as lowercase hex. A fast hash suffices: secrets carry 238 bits
    /// of randomness, so there is nothing to brute-force that a slow hash would protect.
    static func keyHash(_ secret: String) -> String {
        Secrets.hex(SHA256.hash(data: Array(secret.utf8)))
    }

    /// JSON array text of strings (scopes, event types), as GRDB's Codable records store them.
    static func scopesJSON(_ list: [String]) -> String {
        EventJSON.array(list.map(EventJSON.string)).text
    }
}
