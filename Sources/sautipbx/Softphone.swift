import AsyncHTTPClient
import CallControl
import Dispatch
import Foundation
import MediaEngine
import SDP
import NIOCore
import SIPDialog
import SIPSyntax

/// The one call `sautipbx phone` places, with its media; touched only on the driver's queue.
final class Softphone: TestCallSession, @unchecked Sendable {
    let media: MediaEngine
    let rtpPort: Int
    let keys: [(key: Character, atMs: Int)]
    let recordPath: String?
    let api: String?
    let apiKey: String?
    /// Our caller id: finds our call among the daemon's records.
    let from: String
    var recording: RecordingHandle?
    var heard: (durationMs: Int, bytes: Int)?

    init(driver: SignallingDriver, media: MediaEngine, rtpPort: Int, keys: [(key: Character, atMs: Int)], recordPath: String?,
         hangupAfter: Double, ringTimeout: Double, api: String?, apiKey: String?, from: String) {
        self.from = from
        self.media = media
        self.rtpPort = rtpPort
        self.keys = keys
        self.recordPath = recordPath
        self.api = api
        self.apiKey = apiKey
        super.init(driver: driver, hold: hangupAfter, ringTimeout: ringTimeout)
    }

    override func established(_ ref: CallRef, _ m: NegotiatedAudio?) {
        guard let m else { say("answered without media"); return }
        say("answered codec=\(m.codec.codec.name)/\(m.codec.payloadType) remote=\(m.remoteAddress):\(m.remotePort), RTP port \(rtpPort)"
            + (m.telephoneEvent == nil ? " (no telephone-event: keys go as in-band tones)" : ""))
        startMedia(ref, m)
    }

    override func ended(_ ref: CallRef, ok: Bool) { finish(ref, ok: ok) }

    private func startMedia(_ ref: CallRef, _ m: NegotiatedAudio) {
        do { try media.open(id: ref.raw, port: rtpPort) } catch {
            say("cannot bind RTP port \(rtpPort): \(error)")
            return
        }
        media.start(id: ref.raw, session: MediaSession(
            mode: .silent, parameters: driver.control.parameters(m), ssrc: UInt32.random(in: 1...UInt32.max),
            initialSequence: UInt16.random(in: 0...UInt16.max), initialTimestamp: UInt32.random(in: 0...UInt32.max)))
        if let path = recordPath {
            recording = media.startRecording(id: ref.raw, path: path, maxDurationMs: 3_600_000) { [self] message in
                driver.queue.async { [self] in say("cannot record: \(message)") }
            }
        }
        for k in keys {
            driver.queue.asyncAfter(deadline: .now() + .milliseconds(k.atMs)) { [self] in
                guard self.ref == ref, heard == nil else { return }
                say("press \(k.key)")
                media.withSession(id: ref.raw) { session in
                    if session.parameters.telephoneEventPayloadType != nil {
                        session.sendDigits(String(k.key), durationMs: 160)
                    } else if let tone = try? ToneSource.dtmf(k.key, sampleRate: session.parameters.clockRate, onMs: 160, offMs: 60) {
                        // No telephone-event negotiated: the key goes as DTMF tones in the audio.
                        session.play(tone)
                    }
                }
            }
        }
    }

    private func finish(_ ref: CallRef, ok: Bool) {
        let done: @Sendable () -> Void = { [self] in
            driver.queue.async { [self] in
                if let h = heard { say("heard \(h.durationMs) ms of audio, saved to \(recordPath ?? "-")") }
                media.close(id: ref.raw)
                let printEvents = api != nil && apiKey != nil
                if !printEvents { Foundation.exit(ok ? 0 : 1) }
                Task { [self] in
                    await printCallEvents()
                    Foundation.exit(ok ? 0 : 1)
                }
            }
        }
        guard let rec = recording else { return done() }
        media.stopRecording(rec) { [self] result in
            if case .success(let r)? = result { driver.queue.async { [self] in heard = r; done() } } else { done() }
        }
    }

    /// The newest call from our number (`q` matches the caller), with its events, from the
    /// daemon's admin API.
    private func printCallEvents() async {
        guard let api, let apiKey else { return }
        try? await Task.sleep(for: .milliseconds(800))  // the store writes call records in batches
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        func get(_ path: String) async -> String? {
            var req = HTTPClientRequest(url: api + path)
            req.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
            guard let resp = try? await client.execute(req, timeout: .seconds(5)),
                  let body = try? await resp.body.collect(upTo: 1 << 20) else { return nil }
            return String(buffer: body)
        }
        let caller = from.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? from
        guard let list = await get("/v1/calls?limit=1&direction=inbound&q=\(caller)"),
              let data = list.data(using: .utf8),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let first = (obj["data"] as? [[String: Any]])?.first, let id = first["id"] as? String,
              let detail = await get("/v1/calls/\(id)") else {
            say("could not read the call's events from \(api)")
            try? await client.shutdown()
            return
        }
        say("daemon call \(id):")
        FileHandle.standardOutput.write(Data((detail + "\n").utf8))
        try? await client.shutdown()
    }
}
