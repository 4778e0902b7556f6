// Synthesizers for cache tests: a counting wrapper, a deterministic tone engine and a gate.

import Foundation
import Synchronization
@testable import Speech

/// Counts calls to the wrapped engine (thread-safe).
final class CountingSynthesizer: SpeechSynthesizer {
    let inner: any SpeechSynthesizer
    private let counter = Mutex(0)

    init(_ inner: any SpeechSynthesizer) { self.inner = inner }

    var engineID: String { inner.engineID }
    /// Calls so far.
    var calls: Int { counter.withLock { $0 } }

    func synthesize(_ request: SpeechRequest) async throws(SpeechError) -> SynthesizedSpeech {
        counter.withLock { $0 += 1 }
        return try await inner.synthesize(request)
    }
}

/// Deterministic stand-in: a tone whose pitch and length depend on the request.
struct ToneSynthesizer: SpeechSynthesizer {
    var engineID = "tone/1"

    func synthesize(_ request: SpeechRequest) async throws(SpeechError) -> SynthesizedSpeech {
        try request.validate()
        guard request.language != "xx" else { throw .languageUnsupported(request.language) }
        let rate = 8000
        let period = 20 + request.voice.utf8.count + request.language.utf8.count
        let count = 400 * request.text.utf8.count
        let samples = (0..<count).map { Int16(($0 % period) * 1000 / period * 8 - 4000) }
        return SynthesizedSpeech(samples: samples, sampleRate: rate)
    }
}

/// Holds every synthesis until `open()`; lets a test pile up concurrent misses first.
final class GatedSynthesizer: SpeechSynthesizer {
    let inner: any SpeechSynthesizer
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    init(_ inner: any SpeechSynthesizer) { self.inner = inner }

    var engineID: String { inner.engineID }

    func open() {
        let waiters = state.withLock { s in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    func synthesize(_ request: SpeechRequest) async throws(SpeechError) -> SynthesizedSpeech {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s in
                if s.open { return true }
                s.waiters.append(c)
                return false
            }
            if resumeNow { c.resume() }
        }
        return try await inner.synthesize(request)
    }
}

/// A fresh empty folder under the system temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("speech-cache-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
