import ArgumentParser
import Foundation
import Glibc
import ShidoAPI

/// Every setting of the daemon. Each is taken from its flag, else its environment variable
/// (`SHIDO_` + the flag's name in capitals), else the config file (`name = value`), else
/// its default.
struct DaemonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Config file of 'name = value' lines ('#' starts a comment). Default: /etc/shido/shidod.conf when it exists. Env: SHIDO_CONFIG.", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("State directory; the embedded PostgreSQL lives in <path>/postgres. Default: /var/lib/shido as root, else $XDG_STATE_HOME/shido (~/.local/state/shido). Env: SHIDO_STATE_DIRECTORY.", valueName: "path"))
    var stateDirectory: String?

    @Option(name: .customLong("database-url"), help: ArgumentHelp("libpq conninfo of an external PostgreSQL (e.g. 'host=/run/postgresql dbname=shido user=shidod'). Default: none, use the embedded cluster. Env: SHIDO_DATABASE_URL.", valueName: "conninfo"))
    var databaseURL: String?

    @Option(help: ArgumentHelp("Unix socket to serve. Default: /run/shidod.sock as root, else <state-directory>/shidod.sock. Under systemd socket activation the socket comes from shidod.socket instead. Env: SHIDO_SOCKET.", valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("Group that owns the socket. Default: the daemon's primary group. Env: SHIDO_SOCKET_GROUP.", valueName: "group"))
    var socketGroup: String?

    @Option(help: ArgumentHelp("Socket permissions, octal. Default: 0660. Env: SHIDO_SOCKET_MODE.", valueName: "mode"))
    var socketMode: String?

    @Option(help: ArgumentHelp("Comma-separated groups whose members are readers. Default: shido (the socket's group). Env: SHIDO_READER_GROUPS.", valueName: "groups"))
    var readerGroups: String?

    @Option(help: ArgumentHelp("Comma-separated groups whose members are recorders. Default: shido-recorders. Env: SHIDO_RECORDER_GROUPS.", valueName: "groups"))
    var recorderGroups: String?

    @Option(help: ArgumentHelp("Comma-separated groups whose members are admins. Default: shido-admins. Env: SHIDO_ADMIN_GROUPS.", valueName: "groups"))
    var adminGroups: String?

    @Option(help: ArgumentHelp("Roles for individual users: 'alice=recorder,bob=reader'. Root and the daemon's own user are always admin. Default: none. Env: SHIDO_USER_ROLES.", valueName: "list"))
    var userRoles: String?

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical. Default: info. Env: SHIDO_LOG_LEVEL.", valueName: "level"))
    var logLevel: String?

    @Option(help: ArgumentHelp("text (one line per entry) or json (one JSON object per line, for journald and log shippers). Default: text. Env: SHIDO_LOG_FORMAT.", valueName: "format"))
    var logFormat: String?

    @Option(help: ArgumentHelp("Where writes go when the database is a hot standby (this daemon then serves reads only): named in the refusal of every write and in the status, e.g. the primary daemon's socket. Default: none. Env: SHIDO_PRIMARY.", valueName: "where"))
    var primary: String?

    @Option(help: ArgumentHelp("The Ed25519 key that signs the tree's checkpoints (Go note signer format); made with mode 0600 on first start when missing. Default: <state-directory>/checkpoint.key. Env: SHIDO_CHECKPOINT_KEY.", valueName: "path"))
    var checkpointKey: String?

    @Option(help: ArgumentHelp("The log's name in its checkpoints and the key's name, given when the key is made (e.g. example.org/shido). Default: <host name>/shido. Env: SHIDO_CHECKPOINT_ORIGIN.", valueName: "name"))
    var checkpointOrigin: String?

    @Option(help: ArgumentHelp("Largest JSON request body in bytes (413 above). Default: 1048576. Env: SHIDO_MAX_BODY_BYTES.", valueName: "bytes"))
    var maxBodyBytes: String?

    @Option(help: ArgumentHelp("Largest NDJSON import body in bytes. Default: 1073741824. Env: SHIDO_MAX_IMPORT_BYTES.", valueName: "bytes"))
    var maxImportBytes: String?

    @Flag(help: ArgumentHelp("Serve even when the database runs with fsync or full_page_writes off, which can lose acknowledged appends in a crash. For throwaway databases only."))
    var allowUnsafeDurability = false

    /// Reads the config file and resolves every setting.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DaemonSettings {
        let file = try ConfigFile.load(explicit: config ?? environment["SHIDO_CONFIG"])
        let source = SettingSource(environment: environment, file: file)
        return try DaemonSettings(options: self, source: source)
    }
}

/// Environment and config file, consulted after the flags.
struct SettingSource {
    let environment: [String: String]
    let file: ConfigFile

    func value(_ flag: String?, _ name: String) -> String? {
        let variable = "SHIDO_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
        return flag ?? environment[variable] ?? file.values[name]
    }
}

/// `name = value` lines; names are the daemon's flag names without dashes in front.
struct ConfigFile {
    static let defaultPath = "/etc/shido/shidod.conf"
    static let names: Set<String> = [
        "state-directory", "database-url", "socket", "socket-group", "socket-mode", "reader-groups", "recorder-groups",
        "admin-groups", "user-roles", "log-level", "log-format", "primary", "checkpoint-key", "checkpoint-origin", "max-body-bytes", "max-import-bytes",
    ]
    var values: [String: String] = [:]

    static func load(explicit: String?) throws -> ConfigFile {
        let path = explicit ?? defaultPath
        guard let handle = FileHandle(forReadingAtPath: path), let text = String(data: handle.readDataToEndOfFile(), encoding: .utf8) else {
            if explicit != nil { throw ValidationError("cannot read config file \(path)") }
            return ConfigFile()
        }
        return try parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws -> ConfigFile {
        var file = ConfigFile()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, names.contains(parts[0]) else {
                throw ValidationError("\(path):\(index + 1): expected 'name = value' with one of: \(names.sorted().joined(separator: ", "))")
            }
            file.values[parts[0]] = parts[1]
        }
        return file
    }
}
