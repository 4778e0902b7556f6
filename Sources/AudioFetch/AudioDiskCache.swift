// On-disk store of fetched prompt bodies with their HTTP cache metadata.
//
// One file per URL, named by the hex SHA-256 of the URL (no user text in file names):
//   "SPAC1\n" | UInt32 LE length of the JSON metadata | metadata JSON | raw body.
// Writes go to a temporary file in the same directory and are renamed over the old one
// (Data.write(.atomic)), so a reader sees the old or the new entry, never half of one,
// and metadata and body can never disagree. Any unreadable, short or foreign entry is
// treated as a miss and rewritten by the next fetch.

import Crypto
import Foundation

/// A directory of cached prompt responses.
struct AudioDiskCache: Sendable {
    /// Where entries live; created on first store.
    let directory: URL

    private static let magic = Array("SPAC1\n".utf8)

    /// The file name for `url`: hex SHA-256 of its UTF-8 bytes.
    static func key(for url: String) -> String {
        SHA256.hash(data: Array(url.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The path of `url`'s entry.
    func path(for url: String) -> URL {
        directory.appendingPathComponent(Self.key(for: url) + ".prompt")
    }

    /// The stored metadata and body for `url`, or nil if absent or unusable.
    func load(url: String) -> (metadata: CacheMetadata, body: [UInt8])? {
        guard let data = try? Data(contentsOf: path(for: url)) else { return nil }
        let bytes = [UInt8](data)
        let headerEnd = Self.magic.count + 4
        guard bytes.count >= headerEnd, Array(bytes[0..<Self.magic.count]) == Self.magic else { return nil }
        let lengthBytes = bytes[Self.magic.count..<headerEnd]
        let metaLength = lengthBytes.reversed().reduce(0) { $0 << 8 | Int($1) }
        guard metaLength <= bytes.count - headerEnd,
              let metadata = try? JSONDecoder().decode(CacheMetadata.self, from: Data(bytes[headerEnd..<(headerEnd + metaLength)])),
              metadata.url == url, metadata.bodyLength == bytes.count - headerEnd - metaLength else { return nil }
        return (metadata, Array(bytes[(headerEnd + metaLength)...]))
    }

    /// Atomically writes (or replaces) the entry for `metadata.url`; failures only cost a refetch.
    func store(_ metadata: CacheMetadata, body: [UInt8]) {
        guard let json = try? JSONEncoder().encode(metadata) else { return }
        var out = Self.magic
        out.reserveCapacity(out.count + 4 + json.count + body.count)
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: json.count >> shift)) }
        out.append(contentsOf: json)
        out.append(contentsOf: body)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? Data(out).write(to: path(for: metadata.url), options: .atomic)
    }

    /// Deletes the entry for `url`, if any (a later `no-store` response supersedes it).
    func remove(url: String) {
        try? FileManager.default.removeItem(at: path(for: url))
    }
}
