import AdminAPI
import AudioFetch
import CallControl
import Dispatch
import Logging
import MediaEngine
import NetIO
import SIPDialog
import Speech
import VoiceFlow
import VoiceRuntime

/// Performs the I/O of voice-app calls (`CallControl.VoiceIO`) for the signalling driver:
/// callback requests, speech and audio files rendered and played into the leg, recordings.
/// Used on the signalling queue; slow work (HTTP, TTS, decoding) runs in tasks whose
/// results hop back onto the queue as interpreter events, so a slow callback or file never
/// blocks media or another call.
final class VoiceDriver: @unchecked Sendable {
    struct Services: Sendable {
        var callbacks: CallbackClient
        var speech: any SpeechSynthesizer
        var audio: AudioFetcher
        /// Where `record` writes its WAV files.
        var recordingsDirectory: String
        /// The signed URL a recording is fetched from (given to the app as `RecordingUrl`).
        var recordingURL: @Sendable (String) -> String
    }

    let queue: DispatchQueue
    let engine: MediaEngine
    let services: Services
    private let logger: Logger
    /// The store writer; recordings are written through it so their rows precede the POST.
    var recorder: CallRecorder?
    /// Feeds an interpreter event back into call control (set by the signalling driver).
    var deliver: ((CallRef, VoiceInterpreter.Event) -> Void)?
    /// The audio each leg should be playing: a rendering that finishes after the app moved
    /// on (barge-in, hangup) is dropped instead of played.
    private var currentAudio: [CallRef: Int] = [:]
    /// Each leg's RTP clock rate once its media started (prompts are converted to it).
    private var legRates: [CallRef: Int] = [:]
    /// Prompts already converted to a leg rate.
    let prompts = PromptCache()
    private var recordings: [CallRef: (token: Int, id: String, path: String, handle: RecordingHandle)] = [:]
    /// Callback requests as the daemon sees them: command to result back on the queue.
    private(set) var callbackLatency = LatencyHistogram()
    /// The HTTP exchange alone (inside the task), to tell network and app time from queue hops.
    private(set) var callbackExchange = LatencyHistogram()
    private(set) var callbackFailures: Int64 = 0

    init(queue: DispatchQueue, engine: MediaEngine, services: Services, logger: Logger) {
        self.queue = queue
        self.engine = engine
        self.services = services
        self.logger = logger
    }

    func perform(_ ref: CallRef, _ io: CallControl.VoiceIO) {
        switch io {
        case .fetch(let token, let url, let method, let request, let secret):
            fetch(ref, token: token, url: url, method: method, request, secret: secret)
        case .playAudio(let token, let audio, let allowHosts):
            currentAudio[ref] = token
            render(ref, token: token, audio, allowHosts: allowHosts)
        case .stopAudio:
            currentAudio[ref] = nil
            engine.withSession(id: ref.raw) { $0.stopPlayback() }
        case .detectSpeech(let on):
            engine.withSession(id: ref.raw) { $0.detectSpeech(on) }
        case .startRecording(let token, let id, let maxSeconds):
            startRecording(ref, token: token, id: id, maxSeconds: maxSeconds)
        case .stopRecording(let token):
            stopRecording(ref, token: token)
        }
    }

    /// The leg's media started (or changed codec) at `rate`.
    func mediaStarted(_ ref: CallRef, rate: Int) { legRates[ref] = rate }

    /// The leg is gone for good: forget what it was playing.
    func forget(_ ref: CallRef) {
        currentAudio[ref] = nil
        legRates[ref] = nil
    }

    private func back(_ ref: CallRef, _ event: VoiceInterpreter.Event) {
        queue.async { [self] in deliver?(ref, event) }
    }

    // MARK: Callbacks

    private func fetch(_ ref: CallRef, token: Int, url: String, method: String, _ request: CallbackRequest, secret: String?) {
        let client = services.callbacks
        let start = MonotonicClock.now()
        Task { [self] in
            let sent = MonotonicClock.now()
            let outcome = await client.fetch(url: url, method: method, request: request, secret: secret)
            let exchanged = MonotonicClock.now() - sent
            queue.async { [self] in
                callbackLatency.record(micros: (MonotonicClock.now() - start) / 1000)
                callbackExchange.record(micros: exchanged / 1000)
                switch outcome {
                case .document(let actions, let elapsed, let status):
                    deliver?(ref, .fetched(token: token, actions: actions, status: status, elapsedMs: elapsed))
                case .failed(let f):
                    callbackFailures += 1
                    deliver?(ref, .fetchFailed(token: token, code: f.code, message: f.message))
                }
            }
        }
    }

    // MARK: Audio

    /// Renders `audio` off the queue, then plays it at the leg's rate if it is still wanted.
    private func render(_ ref: CallRef, token: Int, _ audio: VoiceInterpreter.Audio, allowHosts: [String]?) {
        switch audio {
        case .beep:
            // A short 1 kHz tone (ITU-T E.180 range), like an answering machine's.
            play(ref, token: token) { rate in try? ToneSource(sampleRate: rate, frequencies: [1000], levelDbm0: -12, durationMs: 400) }
        case .say(let say):
            let speech = services.speech
            let rate = legRates[ref]
            Task { [self] in
                do throws(SpeechError) {
                    let s = try await speech.synthesize(SpeechRequest(text: say.text, voice: say.voice, language: say.language))
                    let key = "say|\(say.language)|\(say.voice)|\(say.text)"
                    let (pcm, pcmRate) = convert(key, s.samples, from: s.sampleRate, to: rate)
                    queue.async { [self] in playPCM(ref, token: token, pcm, rate: pcmRate, loop: say.loop) }
                } catch {
                    back(ref, .audioFailed(token: token, code: error.code.rawValue, message: error.message))
                }
            }
        case .play(let p):
            let fetcher = services.audio
            let rate = legRates[ref]
            Task { [self] in
                switch await fetcher.fetch(url: p.url, allowHosts: allowHosts) {
                case .success(let decoded):
                    // The same URL can change content (a new ETag): the key includes a digest.
                    var h = Hasher()
                    decoded.samples.withUnsafeBytes { h.combine(bytes: $0) }
                    let key = "play|\(p.url)|\(decoded.samples.count)|\(h.finalize())"
                    let (pcm, pcmRate) = convert(key, decoded.samples, from: decoded.sampleRate, to: rate)
                    queue.async { [self] in playPCM(ref, token: token, pcm, rate: pcmRate, loop: p.loop) }
                case .failure(let e):
                    back(ref, .audioFailed(token: token, code: e.code, message: e.message))
                }
            }
        }
    }

    /// The audio at the leg's rate (converted once per prompt and rate, off the media
    /// workers), or as it is when the leg's rate is not known yet.
    private func convert(_ key: String, _ samples: [Int16], from source: Int, to rate: Int?) -> ([Int16], Int) {
        guard let rate, let out = prompts.converted(key, samples, from: source, to: rate) else { return (samples, source) }
        return (out, rate)
    }

    private func playPCM(_ ref: CallRef, token: Int, _ samples: [Int16], rate: Int, loop: Int) {
        let source = PCMBufferSource(samples: samples, sampleRate: rate, loop: max(1, loop))
        play(ref, token: token) { legRate -> (any AudioSource)? in
            if legRate == rate { return source }
            return ResamplingSource(source, to: legRate)
        }
    }

    /// Starts a source on the leg's worker, built for the leg's rate; a source that cannot
    /// be built is reported as failed audio.
    private func play(_ ref: CallRef, token: Int, _ make: @escaping @Sendable (Int) -> (any AudioSource)?) {
        guard currentAudio[ref] == token else { return }
        engine.withSession(id: ref.raw) { [self] session in
            guard let source = make(session.parameters.clockRate) else {
                return back(ref, .audioFailed(token: token, code: "audio.unplayable", message: "cannot convert the audio to the call's rate"))
            }
            session.play(source, id: UInt64(token))
        }
    }

    // MARK: Recordings

    private func startRecording(_ ref: CallRef, token: Int, id: String, maxSeconds: Int) {
        let path = services.recordingsDirectory + "/" + id + ".wav"
        // A second past maxLength: the interpreter's timer ends it; the file cap is a backstop.
        let handle = engine.startRecording(id: ref.raw, path: path, maxDurationMs: (maxSeconds + 1) * 1000) { [self] message in
            queue.async { [self] in
                recorder?.record(.recordingFailed(id: id))
                deliver?(ref, .recordingFailed(token: token, message: message))
            }
        }
        guard let handle else {
            recorder?.record(.recordingFailed(id: id))
            return back(ref, .recordingFailed(token: token, message: "the call has no media"))
        }
        recordings[ref] = (token, id, path, handle)
    }

    private func stopRecording(_ ref: CallRef, token: Int) {
        guard let r = recordings[ref], r.token == token else { return }
        recordings[ref] = nil
        engine.stopRecording(r.handle) { [self] result in
            queue.async { [self] in
                switch result {
                case .success(let done)?:
                    let url = services.recordingURL(r.id)
                    guard let recorder else {
                        deliver?(ref, .recorded(token: token, durationMs: done.durationMs, url: url))
                        return
                    }
                    recorder.record(.recordingFinished(id: r.id, path: r.path, durationMs: done.durationMs, bytes: done.bytes))
                    recorder.afterWrites { [self] in back(ref, .recorded(token: token, durationMs: done.durationMs, url: url)) }
                case .failure(let e)?:
                    logger.warning("recording failed", metadata: ["path": "\(r.path)", "error": "\(e.message)"])
                    recorder?.record(.recordingFailed(id: r.id))
                    deliver?(ref, .recordingFailed(token: token, message: e.message))
                case nil:
                    recorder?.record(.recordingFailed(id: r.id))
                    deliver?(ref, .recordingFailed(token: token, message: "the recording never started"))
                }
            }
        }
    }
}
