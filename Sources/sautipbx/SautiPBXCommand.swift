import ArgumentParser
import PBXConfig

/// `sautipbx`: the daemon and its operator subcommands.
@main
struct SautiPBXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sautipbx",
        abstract: "SautiPBX: a programmable soft-PBX (SIP over UDP).",
        subcommands: [RunCommand.self, CheckConfigCommand.self, PlaceCallCommand.self, PhoneCommand.self, AdminCommand.self],
        defaultSubcommand: RunCommand.self)
}

/// Starts the daemon in the foreground (systemd Type=notify aware).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the PBX daemon.")

    @Option(name: .shortAndLong, help: "Configuration file (YAML).")
    var config: String = "config/sautipbx.yaml"

    func run() throws {
        let configuration: PBXConfiguration
        do {
            configuration = try PBXConfiguration.load(path: config)
        } catch {
            throw ValidationError("invalid configuration: \(error.description)")
        }
        try Daemon(configuration: configuration).runForever()
    }
}

/// Validates a configuration file and prints what is wrong, naming the key.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config", abstract: "Validate a configuration file.")

    @Argument(help: "Configuration file (YAML).")
    var file: String

    func run() throws {
        do {
            let c = try PBXConfiguration.load(path: file)
            print("\(file): OK (\(c.sip.listen.count) SIP listen addresses, \(c.numbers.entries.count) numbers)")
        } catch {
            print(error.description)
            throw ExitCode(2)
        }
    }
}
