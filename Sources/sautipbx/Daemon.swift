#if canImport(Glibc)
import Glibc
#endif
import AdminAPI
import Billing
import CallControl
import Dispatch
import Foundation
import Logging
import MediaEngine
import NetIO
import PBXConfig
import SIPDialog
import SIPSyntax
import Webhooks

/// Wires configuration, sockets, the signalling driver, signals and systemd notification,
/// then runs until SIGTERM/SIGINT has drained every call.
final class Daemon: @unchecked Sendable {
    let configuration: PBXConfiguration
    let logger: Logger
    let notifier = SystemdNotifier()
    private var signalSources: [DispatchSourceSignal] = []
    private var watchdog: DispatchSourceTimer?
    private var heartbeat: DispatchSourceTimer?
    private var retention: RecordingRetention?

    /// The SQLite file in the data directory.
    static func storePath(dataDirectory: String) -> String { dataDirectory + "/sautipbx.sqlite" }

    init(configuration: PBXConfiguration) {
        self.configuration = configuration
        let level = Logger.Level(rawValue: configuration.log.level.rawValue) ?? .info
        let json = configuration.log.format == .json
        LoggingSystem.bootstrap { label in
            var h: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        logger = Logger(label: "sautipbx")
    }

    func runForever() throws -> Never {
        let c = configuration
        let listen = c.sip.listen.map { TransportAddress(host: $0.host, port: Int($0.port)) }
        // Our address in Via/Contact/SDP: the public address, else the first listener of
        // each family (a wildcard listener needs sip.public_address to be reachable).
        let v4 = listen.first { !$0.isIPv6 }
        let v6 = listen.first { $0.isIPv6 }
        var ua = UserAgentConfig()
        ua.userAgent = c.sip.userAgent
        ua.idPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 36) + "."
        ua.sessionTimer = SessionTimerPolicy(enabled: c.sip.sessionTimer.enabled,
                                             sessionExpires: UInt32(c.sip.sessionTimer.sessionExpiresSeconds),
                                             minSE: UInt32(c.sip.sessionTimer.minSESeconds))
        if let p = c.sip.publicAddress {
            if let a = v4 { ua.localIPv4 = TransportAddress(host: p.host, port: a.port) }
            if let a = v6 { ua.localIPv6 = TransportAddress(host: p.host, port: a.port) }
        } else {
            ua.localIPv4 = v4
            ua.localIPv6 = v6
        }
        let mediaAddress = c.sip.publicAddress?.sdpAddress ?? (v4 ?? v6)?.host ?? "127.0.0.1"
        // The store first: close what a crash left open (billed once), seed the config's
        // numbers at first start, then route from the store's numbers.
        let store: Store
        do {
            store = try Store(path: Self.storePath(dataDirectory: c.dataDirectory))
            let recovered = try store.recoverInterruptedCalls(now: Store.wallClockMs())
            if !recovered.isEmpty { logger.notice("closed calls left open by a previous run", metadata: ["calls": "\(recovered.count)", "failure": "pbx.restart"]) }
            let seeded = try store.seedNumbers(c.numbers.entries.map { (e164: $0.number, route: $0.route.rawValue, name: $0.name) })
            if seeded > 0 { logger.notice("numbers from the config file added to the store", metadata: ["numbers": "\(seeded)", "workspace": "default"]) }
        } catch {
            logger.critical("cannot open the store", metadata: ["path": "\(Self.storePath(dataDirectory: c.dataDirectory))", "error": "\(error)"])
            exit(1)
        }
        var settings = CallControl.Settings(configuration: c, mediaAddress: mediaAddress)
        // The demo voice app is served by our own admin listener, like any developer's app.
        let demoURL = "http://\(c.admin.listen)\(AdminAPI.demoPath)"
        do { settings.routes = try CallRecorder.routeTable(store, demoURL: demoURL) } catch {
            logger.critical("cannot load numbers", metadata: ["error": "\(error)"])
            exit(1)
        }
        let control = CallControl(settings: settings, ports: PortPool(lower: Int(c.rtp.portMin), upper: Int(c.rtp.portMax)))
        let driver = SignallingDriver(stack: SIPStack(config: ua), control: control,
                                      maxMessageBytes: c.sip.maxMessageBytes, logger: logger)
        // Media workers: one per core (ARCHITECTURE), bound on the first listen address.
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let workers = configuration.rtp.mediaWorkers > 0 ? configuration.rtp.mediaWorkers : max(1, cores)
        let media = try MediaEngine(workers: workers, bindAddress: (v4 ?? v6)?.host ?? "127.0.0.1")
        driver.media = media
        driver.listenToMedia()
        let bound: [TransportAddress]
        do {
            bound = try driver.bind(listen)
        } catch {
            logger.critical("cannot listen: \(error)")
            exit(1)
        }
        driver.onDrained = { [logger, notifier, queue = driver.queue] in
            // Give the last BYEs a second for their 200 (or one retransmission) before exiting.
            logger.notice("all calls ended; exiting in 1 s")
            queue.asyncAfter(deadline: .now() + 1) {
                notifier.status("stopped")
                exit(0)
            }
        }
        let recorder = CallRecorder(store: store, logger: logger)
        recorder.demoURL = demoURL
        driver.recorder = { recorder.record($0) }
        recorder.routesChanged = { [queue = driver.queue] table in queue.async { driver.replaceRoutes(table) } }
        driver.start()
        startHeartbeat(driver, recorder)
        let deliverer = WebhookDeliverer(outbox: StoreOutbox(store: store), now: Store.wallClockMs,
                                         jitter: { Double.random(in: 0..<1) }, logger: logger)
        recorder.webhooksEnqueued = { deliverer.wake() }
        Task.detached { await deliverer.run() }
        let api = makeAdminAPI(store: store, driver: driver, recorder: recorder, webhooks: deliverer)
        driver.voice = makeVoiceDriver(driver: driver, media: media, recorder: recorder, api: api)
        retention = RecordingRetention(recorder: recorder, logger: logger)
        startAdminAPI(api)
        installSignals(driver)
        startWatchdog(on: driver.queue)
        let addrs = bound.map(\.description).joined(separator: ", ")
        logger.notice("SautiPBX listening", metadata: ["sip": "\(addrs)", "numbers": "\(settings.routes.count)",
                                                      "admin": "\(c.admin.listen)"])
        notifier.ready(status: "listening on \(addrs)")
        dispatchMain()
    }

    /// Every 5 s the live calls' last activity is written, so after a crash (`kill -9`) the
    /// next start ends them at most 5 s after they really stopped.
    private func startHeartbeat(_ driver: SignallingDriver, _ recorder: CallRecorder) {
        let t = DispatchSource.makeTimerSource(queue: driver.queue)
        t.schedule(deadline: .now() + 5, repeating: 5)
        t.setEventHandler { recorder.touch(driver.liveRecordIDs) }
        t.resume()
        heartbeat = t
    }

    private func makeAdminAPI(store: Store, driver: SignallingDriver, recorder: CallRecorder, webhooks: WebhookDeliverer) -> AdminAPI {
        var options = AdminAPI.Options(secret: Self.loadSecret(dataDirectory: configuration.dataDirectory, logger: logger),
                                       publicBaseURL: "http://\(configuration.admin.listen)")
        options.routingChanged = { recorder.reloadRoutes() }
        options.webhooksEnqueued = { webhooks.wake() }
        return AdminAPI(store: store, runtime: DaemonRuntime(driver: driver), options: options)
    }

    /// The admin HTTP API on `admin.listen`; failing to bind it stops the daemon, like SIP.
    private func startAdminAPI(_ api: AdminAPI) {
        let listen = configuration.admin.listen
        let logger = logger
        Task.detached {
            do {
                try await AdminHTTPServer.run(api, host: listen.host, port: Int(listen.port), logger: logger) { port in
                    logger.notice("admin API listening", metadata: ["address": "\(listen.host):\(port)"])
                }
            } catch {
                logger.critical("cannot serve the admin API", metadata: ["address": "\(listen)", "error": "\(error)"])
                exit(1)
            }
        }
    }

    /// 32 random bytes in `<data_dir>/secret.key` (mode 0600), made at first start: the key
    /// for list cursors and signed recording URLs, stable across restarts.
    static func loadSecret(dataDirectory: String, logger: Logger) -> [UInt8] {
        let path = dataDirectory + "/secret.key"
        if let data = FileManager.default.contents(atPath: path), data.count == 32 { return Array(data) }
        var g = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        if !FileManager.default.createFile(atPath: path, contents: Data(secret), attributes: [.posixPermissions: 0o600]) {
            logger.warning("cannot save the API secret; cursors and recording links will not survive a restart", metadata: ["path": "\(path)"])
        }
        return secret
    }

    /// SIGTERM/SIGINT: tell systemd we are stopping, refuse new calls (503 + Retry-After),
    /// give live calls `calls.drain_seconds`, then BYE them and exit 0. A second signal
    /// ends the drain at once.
    private func installSignals(_ driver: SignallingDriver) {
        let drain = Duration.seconds(configuration.calls.drainSeconds)
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: driver.queue)
            var count = 0
            src.setEventHandler { [logger, notifier] in
                count += 1
                notifier.stopping()
                logger.notice("shutdown requested", metadata: ["signal": "\(sig)", "active_calls": "\(driver.activeCalls)"])
                driver.beginShutdown(drain: count > 1 ? .zero : drain)
            }
            src.resume()
            signalSources.append(src)
        }
    }

    /// WATCHDOG=1 at half of WATCHDOG_USEC, sent from the signalling queue so a stuck queue
    /// stops the pings and systemd restarts us.
    private func startWatchdog(on queue: DispatchQueue) {
        guard let interval = notifier.watchdogInterval else { return }
        let t = DispatchSource.makeTimerSource(queue: queue)
        let ns = max(Int(interval.nanoseconds), 1_000_000)
        t.schedule(deadline: .now(), repeating: .nanoseconds(ns))
        t.setEventHandler { [notifier] in notifier.watchdog() }
        t.resume()
        watchdog = t
    }
}
