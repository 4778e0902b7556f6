import GRDB

/// Where a page ends in a newest-first list: the sort column value and the id of the last
/// row returned. The API signs and encodes it as the opaque cursor; the store only compares.
public struct PageKey: Sendable, Equatable, Codable {
    /// The sort column (ms since the epoch) of the last row on the page.
    public var at: Int64
    /// The id of the last row on the page (breaks ties between equal times).
    public var id: String

    public init(at: Int64, id: String) {
        self.at = at
        self.id = id
    }
}

/// One page of a newest-first list; `next` is nil on the last page.
public struct Page<T: Sendable>: Sendable {
    /// The rows, newest first.
    public var items: [T]
    /// The key to pass as `after:` for the following page, nil when there is none.
    public var next: PageKey?

    public init(items: [T], next: PageKey?) {
        self.items = items
        self.next = next
    }
}

extension Page: Equatable where T: Equatable {}

/// Keyset pagination shared by every list: rows strictly after the key in
/// `(sort, id) DESC` order, fetching one extra row to learn whether another page exists.
/// Keyset rather than OFFSET so rows inserted while a client pages cause no duplicates or gaps.
struct KeysetQuery {
    /// `SELECT ... FROM ...` without WHERE.
    var select: String
    /// Conditions ANDed together (written with `?` placeholders).
    var conditions: [String] = []
    var arguments: [(any DatabaseValueConvertible)?] = []
    /// The qualified sort column, e.g. "created_at" or "c.started_at".
    var sortColumn: String
    /// The qualified id column.
    var idColumn: String = "id"

    /// The largest page the store returns whatever is asked (the API allows 1-100).
    static let maxLimit = 1_000

    mutating func filter(_ condition: String, _ args: (any DatabaseValueConvertible)?...) {
        conditions.append(condition)
        arguments.append(contentsOf: args)
    }

    /// Runs the query for the page after `after` (nil: the first page).
    func page<T: FetchableRecord & Sendable>(
        _ db: Database, after: PageKey?, limit: Int, key: (T) -> PageKey
    ) throws -> Page<T> {
        var conditions = self.conditions
        var arguments = self.arguments
        if let after {
            conditions.append("(\(sortColumn), \(idColumn)) < (?, ?)")
            arguments.append(after.at)
            arguments.append(after.id)
        }
        let size = min(max(limit, 1), KeysetQuery.maxLimit)
        var sql = select
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY \(sortColumn) DESC, \(idColumn) DESC LIMIT ?"
        arguments.append(size + 1)
        var rows = try T.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        var next: PageKey?
        if rows.count > size {
            rows.removeLast(rows.count - size)
            next = rows.last.map(key)
        }
        return Page(items: rows, next: next)
    }
}
