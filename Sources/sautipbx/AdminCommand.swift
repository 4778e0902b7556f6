import ArgumentParser
import Billing
import PBXConfig

/// `sautipbx admin ...`: bootstrap from nothing (admin-api.md: "A CLI subcommand of the
/// daemon creates the first admin key"). Works on the store in the config's data_dir, with
/// or without the daemon running (SQLite WAL allows both).
struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Create workspaces and API keys in the store.",
        subcommands: [CreateWorkspace.self, CreateKey.self, ListWorkspaces.self])

    struct StoreOptions: ParsableArguments {
        @Option(name: .shortAndLong, help: "Configuration file (YAML); its data_dir holds the store.")
        var config: String = "config/sautipbx.yaml"

        func open() throws -> Store {
            let c: PBXConfiguration
            do { c = try PBXConfiguration.load(path: config) } catch {
                throw ValidationError("invalid configuration: \(error.description)")
            }
            return try Store(path: Daemon.storePath(dataDirectory: c.dataDirectory))
        }
    }

    struct CreateWorkspace: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-workspace", abstract: "Create a workspace with a KES wallet.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Workspace name.") var name: String
        @Option(help: "Inbound rate per minute, minor units (KES cents).") var inboundRate: Int64 = 0
        @Option(help: "Outbound rate per minute, minor units (KES cents).") var outboundRate: Int64 = 300
        @Option(help: "wallet.low_balance fires when the balance falls below this, minor units.") var lowBalanceThreshold: Int64 = 10_000
        @Option(help: "Comma-separated hosts voice apps may `play` from (media.example.com, *.example.com); default any.")
        var playAllowedHosts: String?

        func run() throws {
            let s = try store.open()
            let hosts = playAllowedHosts.map { $0.split(separator: ",").map(String.init) }
            let w = try s.createWorkspace(name: name, inboundRateMinor: inboundRate, outboundRateMinor: outboundRate,
                                          lowBalanceThresholdMinor: lowBalanceThreshold, playAllowedHosts: hosts)
            print("workspace \(w.id) \"\(w.name)\" created (inbound \(w.inboundRateMinor), outbound \(w.outboundRateMinor) KES cents/min)")
            print("signing secret: \(w.signingSecret)")
        }
    }

    struct CreateKey: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-key", abstract: "Create an API key; its secret is printed once.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Workspace id, or its name.") var workspace: String
        @Option(help: "Key name.") var name: String = "admin"
        @Option(help: "Comma-separated scopes (\(APIKey.allScopes.joined(separator: ", "))).") var scopes: String = "admin"

        func run() throws {
            let s = try store.open()
            let all = try s.workspaces()
            guard let w = all.first(where: { $0.id == workspace }) ?? all.first(where: { $0.name == workspace }) else {
                throw ValidationError("no workspace \"\(workspace)\"; see `sautipbx admin list-workspaces`")
            }
            let list = scopes.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            let (key, secret) = try s.createAPIKey(workspaceID: w.id, name: name, scopes: list)
            print("api key \(key.id) for workspace \(w.id) with scopes \(key.scopes.joined(separator: ","))")
            print(secret)
        }
    }

    struct ListWorkspaces: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list-workspaces", abstract: "List workspaces.")
        @OptionGroup var store: StoreOptions

        func run() throws {
            for w in try store.open().workspaces() { print("\(w.id)  \(w.name)") }
        }
    }
}
