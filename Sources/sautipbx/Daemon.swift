#if canImport(Glibc)
import Glibc
#endif
import CallControl
import Dispatch
import Logging
import MediaEngine
import NetIO
import PBXConfig
import SIPDialog
import SIPSyntax

/// Wires configuration, sockets, the signalling driver, signals and systemd notification,
/// then runs until SIGTERM/SIGINT has drained every call.
final class Daemon: @unchecked Sendable {
    let configuration: PBXConfiguration
    let logger: Logger
    let notifier = SystemdNotifier()
    private var signalSources: [DispatchSourceSignal] = []
    private var watchdog: DispatchSourceTimer?

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
        let control = CallControl(settings: CallControl.Settings(configuration: c, mediaAddress: mediaAddress),
                                  ports: PortPool(lower: Int(c.rtp.portMin), upper: Int(c.rtp.portMax)))
        let driver = SignallingDriver(stack: SIPStack(config: ua), control: control,
                                      maxMessageBytes: c.sip.maxMessageBytes, logger: logger)
        // Media workers: one per core (ARCHITECTURE), bound on the first listen address.
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let workers = configuration.rtp.mediaWorkers > 0 ? configuration.rtp.mediaWorkers : max(1, cores)
        driver.media = try MediaEngine(workers: workers, bindAddress: (v4 ?? v6)?.host ?? "127.0.0.1")
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
        driver.start()
        installSignals(driver)
        startWatchdog(on: driver.queue)
        let addrs = bound.map(\.description).joined(separator: ", ")
        logger.notice("SautiPBX listening", metadata: ["sip": "\(addrs)", "numbers": "\(c.numbers.entries.count)"])
        notifier.ready(status: "listening on \(addrs)")
        dispatchMain()
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
