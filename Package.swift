// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SautiPBX",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sautipbx", targets: ["sautipbx"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        // Issue 4: the store (SQLite), the admin API server and the webhook client.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        // Pure protocol layers (RFC 3261, 4566/3264, 4028, 7616): no sockets, no clocks.
        .target(name: "SIPSyntax"),
        .target(name: "SDP"),
        .target(name: "SIPTransaction", dependencies: ["SIPSyntax"]),
        .target(name: "SIPDialog", dependencies: [
            "SIPTransaction", "SDP", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The only socket code: UDP sockets, timers, the media event loop, sd_notify.
        .systemLibrary(name: "CLinuxEvents"),
        .target(name: "NetIO", dependencies: ["SIPSyntax", "CLinuxEvents"]),
        // Media (issue 3): RTP/RTCP/RFC 4733 (pure), codecs (G.711 in Swift; Opus and
        // resampling through libopus and speexdsp), SRTP through libsrtp2, the engine.
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CSpeexDSP", pkgConfig: "speexdsp", providers: [.apt(["libspeexdsp-dev"])]),
        .systemLibrary(name: "CSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        // Voice runtime (issue 5): text-to-speech and MP3 decoding.
        .systemLibrary(name: "CEspeakNG", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev"])]),
        .systemLibrary(name: "CMpg123", pkgConfig: "libmpg123", providers: [.apt(["libmpg123-dev"])]),
        .target(name: "RTP"),
        .target(name: "Codecs", dependencies: ["COpus", "CSpeexDSP"]),
        .target(name: "SRTP", dependencies: ["CSRTP", "SDP"]),
        .target(name: "MediaEngine", dependencies: ["RTP", "Codecs", "NetIO", "SDP", "SRTP", "CMpg123"]),
        .target(name: "PBXConfig", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Billing (issue 4): tariff and wallet rules as pure values, and the store (GRDB over
        // SQLite in WAL mode) that applies them: numbers, calls, ledger, keys, webhook outbox.
        .target(name: "Billing", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The admin HTTP API: framework-free request handling over the store, served by Hummingbird.
        .target(name: "AdminAPI", dependencies: [
            "Billing",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.embedInCode("openapi.json")]),
        // Signed webhook delivery from the store's outbox (AsyncHTTPClient), with retries.
        .target(name: "Webhooks", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The voice-action model, callback documents (JSON, Africa's Talking XML, TwiML), callback
        // requests and the per-call interpreter (issue 5): pure, no I/O.
        .target(name: "VoiceFlow"),
        // The voice app's HTTP client: signed form requests, timeouts, document decoding.
        .target(name: "VoiceRuntime", dependencies: [
            "VoiceFlow", "Webhooks",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // Text-to-speech: the provider protocol, espeak-ng on one thread, the disk cache.
        .target(name: "Speech", dependencies: ["CEspeakNG", "MediaEngine", .product(name: "Crypto", package: "swift-crypto")]),
        // `play`: HTTP(S) audio files with an on-disk cache and host allow-lists.
        .target(name: "AudioFetch", dependencies: [
            "MediaEngine", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .target(name: "CallControl", dependencies: ["SIPDialog", "PBXConfig", "NetIO", "MediaEngine", "VoiceFlow"]),
        .executableTarget(name: "sautipbx", dependencies: [
            "AdminAPI", "Billing", "CallControl", "Webhooks", "Codecs", "MediaEngine", "NetIO", "PBXConfig", "SIPDialog",
            "VoiceFlow", "VoiceRuntime", "Speech", "AudioFetch",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // libFuzzer entry point for the parser: scripts/fuzz-sip.sh builds it with
        // -sanitize=fuzzer,address; a plain build just compiles it.
        .executableTarget(name: "FuzzSIP", dependencies: ["SIPSyntax"]),
        // Pure signalling cost per call (no sockets): swift run -c release SIPBench.
        .executableTarget(name: "SIPBench", dependencies: ["CallControl", "NetIO", "PBXConfig", "SIPDialog"]),

        // Per-frame cost of codecs, SRTP and a whole leg without sockets: swift run -c release CodecBench.
        .executableTarget(name: "CodecBench", dependencies: ["Codecs", "MediaEngine", "RTP", "SDP", "SIPSyntax", "SRTP"]),
        // Media benchmark (bench/media.sh): N concurrent echo calls from a load generator.
        // MediaBenchKit holds its pure, tested pieces; MediaBench the sockets and threads.
        .target(name: "MediaBenchKit"),
        .executableTarget(name: "MediaBench", dependencies: ["MediaBenchKit", "COpus", "CLinuxEvents"]),

        // Shared test helpers (deterministic PRNG); tests only.
        .target(name: "PBXTestSupport"),

        .testTarget(name: "SIPSyntaxTests", dependencies: ["SIPSyntax", "PBXTestSupport"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP", "PBXTestSupport"]),
        .testTarget(name: "SIPTransactionTests", dependencies: ["SIPTransaction"]),
        .testTarget(name: "SIPDialogTests", dependencies: ["SIPDialog"]),
        .testTarget(name: "NetIOTests", dependencies: ["NetIO"]),
        .testTarget(name: "PBXConfigTests", dependencies: ["PBXConfig"]),
        .testTarget(name: "CallControlTests", dependencies: ["CallControl", "MediaEngine", "RTP", "SDP", "VoiceFlow"]),
        .testTarget(name: "RTPTests", dependencies: ["RTP", "PBXTestSupport"]),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs"]),
        .testTarget(name: "MediaEngineTests", dependencies: ["MediaEngine", "Codecs", "RTP", "SRTP", "PBXTestSupport"]),
        .testTarget(name: "SRTPTests", dependencies: ["SRTP", "SDP"]),
        .testTarget(name: "PBXTestSupportTests", dependencies: ["PBXTestSupport"]),
        .testTarget(name: "MediaBenchKitTests", dependencies: ["MediaBenchKit"]),
        .testTarget(name: "BillingTests", dependencies: ["Billing", "PBXTestSupport"]),
        .testTarget(name: "WebhooksTests", dependencies: ["Webhooks", "PBXTestSupport"]),
        .testTarget(name: "VoiceFlowTests", dependencies: ["VoiceFlow", "PBXTestSupport"]),
        .testTarget(name: "VoiceRuntimeTests", dependencies: ["VoiceRuntime", "VoiceFlow", "PBXTestSupport"]),
        .testTarget(name: "SpeechTests", dependencies: ["Speech", "MediaEngine"]),
        .testTarget(name: "AudioFetchTests", dependencies: ["AudioFetch", "MediaEngine", "PBXTestSupport"]),
        .testTarget(name: "AdminAPITests", dependencies: [
            "AdminAPI", "Billing",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
