// TEMPORARY placeholder until the RFC 3986 resolver lands (same API).
public enum URLReference {
    public static func resolve(_ reference: String, against base: String) -> String? {
        if reference.hasPrefix("http://") || reference.hasPrefix("https://") { return reference }
        guard let schemeEnd = base.range(of: "://") else { return nil }
        let afterScheme = base[schemeEnd.upperBound...]
        let hostEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let origin = String(base[..<hostEnd])
        if reference.hasPrefix("/") { return origin + reference }
        let path = base[hostEnd...]
        let dir = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return origin + dir + reference
    }
}
