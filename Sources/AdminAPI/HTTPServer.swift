import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Serves `AdminAPI` over HTTP/1.1 with Hummingbird: the only file that knows the server
/// framework (ARCHITECTURE: only AdminAPI imports Hummingbird). It converts requests and
/// responses and nothing else, so every rule lives in the testable `AdminAPI`.
public enum AdminHTTPServer {
    /// Bodies above this are cut off (the API rejects anything over 64 KiB anyway).
    static let maxBodyBytes = 1 << 20

    /// Runs until the task is cancelled. `onRunning` gets the bound port (useful with port 0).
    public static func run(_ api: AdminAPI, host: String, port: Int, logger: Logger,
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let body: [UInt8]
            do {
                var buffer = try await request.collectBody(upTo: maxBodyBytes)
                body = buffer.readBytes(length: buffer.readableBytes) ?? []
            } catch {
                return response(api.errorResponse(APIError(413, "validation.bad_request", "body: larger than 1 MiB")), head: false)
            }
            var headers: [String: String] = [:]
            for f in request.headers { headers[f.name.canonicalName] = headers[f.name.canonicalName].map { "\($0), \(f.value)" } ?? f.value }
            let (path, query) = APIRequest.split(target: request.uri.description)
            let r = await api.handle(APIRequest(method: request.method.rawValue, path: path, query: query, headers: headers, body: body))
            return response(r, head: request.method == .head)
        }
        let app = Application(responder: responder,
                              configuration: .init(address: .hostname(host, port: port), serverName: "SautiPBX"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                              logger: logger)
        try await app.run()
    }

    static func response(_ r: APIResponse, head: Bool) -> Response {
        Response(status: HTTPResponse.Status(code: r.status), headers: fields(r.headers),
                 body: head ? .init() : .init(byteBuffer: ByteBuffer(bytes: r.body)))
    }

    static func fields(_ headers: [(String, String)]) -> HTTPFields {
        var f = HTTPFields()
        for (k, v) in headers {
            if let name = HTTPField.Name(k) { f.append(HTTPField(name: name, value: v)) }
        }
        return f
    }
}
