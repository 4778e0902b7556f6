// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SautiPBX",
    platforms: [.macOS(.v14)],
    products: [

    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
    ],
    targets: [
        // Pure protocol layers (RFC 3261, 4566/3264): no sockets, no clocks.
        .target(name: "SIPSyntax"),
        .testTarget(name: "SIPSyntaxTests", dependencies: ["SIPSyntax"]),
    ]
)
