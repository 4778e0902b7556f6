import AdminAPI
import Billing
import Dispatch
import AudioFetch
import Foundation
import Logging
import MediaEngine
import Speech
import VoiceFlow
import VoiceRuntime

extension Daemon {
    /// The voice runtime's services: the callback client (timeouts from `calls:`), espeak-ng
    /// behind a disk cache, the audio-file fetcher with its cache, and the recordings folder,
    /// all under the data directory.
    func makeVoiceDriver(driver: SignallingDriver, media: MediaEngine, recorder: CallRecorder, api: AdminAPI) -> VoiceDriver {
        let dir = configuration.dataDirectory
        for sub in ["recordings", "cache/tts", "cache/audio"] {
            try? FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
        }
        let calls = configuration.calls
        let client = CallbackClient(
            configuration: .init(connectTimeout: .seconds(calls.callbackConnectTimeoutSeconds),
                                 responseTimeout: .seconds(calls.callbackTimeoutSeconds)),
            decode: { body, type in try CallbackDocument.decode(body: body, contentType: type) })
        let services = VoiceDriver.Services(
            callbacks: client,
            speech: SpeechCache(engine: EspeakSynthesizer(), directory: dir + "/cache/tts"),
            audio: AudioFetcher(configuration: .init(cacheDirectory: dir + "/cache/audio")),
            recordingsDirectory: dir + "/recordings",
            recordingURL: { api.recordingLink($0) })
        let voice = VoiceDriver(queue: driver.queue, engine: media, services: services, logger: logger)
        voice.recorder = recorder
        return voice
    }
}

/// Recording retention: every 10 minutes, recordings past their workspace's retention lose
/// their file (the API then answers 410 `calls.recording_expired`).
final class RecordingRetention: @unchecked Sendable {
    private var timer: DispatchSourceTimer?

    init(recorder: CallRecorder, logger: Logger) {
        let t = DispatchSource.makeTimerSource(queue: recorder.queue)
        t.schedule(deadline: .now() + 30, repeating: 600)
        t.setEventHandler { [store = recorder.store] in
            do {
                let files = try store.pruneExpiredRecordings(now: Store.wallClockMs())
                for f in files { try? FileManager.default.removeItem(atPath: f) }
                if !files.isEmpty { logger.info("recordings past retention deleted", metadata: ["files": "\(files.count)"]) }
            } catch {
                logger.warning("recording retention failed", metadata: ["error": "\(error)"])
            }
        }
        t.resume()
        timer = t
    }
}
