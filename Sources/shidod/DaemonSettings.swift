import ArgumentParser
import Foundation
import Glibc
import Logging
import ShidoAPI
import ShidoServer

/// The daemon's settings after flags, environment, config file and defaults were combined.
///
/// Guarantees: every value is validated here, before the daemon touches the database or
/// the socket; a bad value stops it with a message naming the setting.
struct DaemonSettings {
    var stateDirectory: String
    var databaseURL: String?
    var socketPath: String
    var socketGroup: String?
    var socketMode: mode_t
    var groupRoles: [String: Role]
    var userRoles: [String: Role]
    var logLevel: Logger.Level
    var logFormat: LogFormat
    /// Where writes go when the database turns out to be a hot standby.
    var primary: String?
    var checkpointKeyPath: String
    var checkpointOrigin: String
    var maxBodyBytes: Int
    var maxImportBytes: Int
    var allowUnsafeDurability: Bool

    init(options: DaemonOptions, source: SettingSource) throws {
        stateDirectory = source.value(options.stateDirectory, "state-directory") ?? Self.defaultStateDirectory(source.environment)
        databaseURL = source.value(options.databaseURL, "database-url")
        socketPath = source.value(options.socket, "socket") ?? (geteuid() == 0 ? "/run/shidod.sock" : stateDirectory + "/shidod.sock")
        socketGroup = source.value(options.socketGroup, "socket-group")
        let modeText = source.value(options.socketMode, "socket-mode") ?? "0660"
        guard let mode = mode_t(modeText, radix: 8), mode <= 0o777 else { throw ValidationError("socket-mode '\(modeText)' is not an octal mode like 0660") }
        socketMode = mode
        groupRoles = [:]
        let groupSettings: [(String, Role, String, String?)] = [
            ("reader-groups", .reader, "shido", options.readerGroups),
            ("recorder-groups", .recorder, "shido-recorders", options.recorderGroups),
            ("admin-groups", .admin, "shido-admins", options.adminGroups),
        ]
        for (name, role, fallback, flag) in groupSettings {
            for group in Self.list(source.value(flag, name) ?? fallback) { groupRoles[group] = max(role, groupRoles[group] ?? role) }
        }
        userRoles = try Self.userRoles(source.value(options.userRoles, "user-roles") ?? "")
        let levelText = source.value(options.logLevel, "log-level") ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else { throw ValidationError("log-level '\(levelText)' is not one of trace, debug, info, notice, warning, error, critical") }
        logLevel = level
        let formatText = source.value(options.logFormat, "log-format") ?? "text"
        guard let format = LogFormat(rawValue: formatText) else { throw ValidationError("log-format '\(formatText)' is not text or json") }
        logFormat = format
        primary = source.value(options.primary, "primary")
        checkpointKeyPath = source.value(options.checkpointKey, "checkpoint-key") ?? stateDirectory + "/checkpoint.key"
        checkpointOrigin = source.value(options.checkpointOrigin, "checkpoint-origin") ?? ProcessInfo.processInfo.hostName + "/shido"
        guard !checkpointOrigin.isEmpty, !checkpointOrigin.contains(where: { $0.isWhitespace || $0 == "+" }) else {
            throw ValidationError("checkpoint-origin '\(checkpointOrigin)' must be a name without spaces or '+', like example.org/shido")
        }
        maxBodyBytes = try Self.positive(source.value(options.maxBodyBytes, "max-body-bytes") ?? "1048576", "max-body-bytes")
        allowUnsafeDurability = options.allowUnsafeDurability
        maxImportBytes = try Self.positive(source.value(options.maxImportBytes, "max-import-bytes") ?? "1073741824", "max-import-bytes")
    }

    func serverConfiguration() -> ServerConfiguration {
        var configuration = ServerConfiguration(socketPath: socketPath, policy: AccessPolicy(userRoles: userRoles, groupRoles: groupRoles))
        configuration.socketGroup = socketGroup
        configuration.socketMode = socketMode
        configuration.maxBodyBytes = maxBodyBytes
        configuration.maxImportBytes = maxImportBytes
        return configuration
    }

    static func defaultStateDirectory(_ environment: [String: String]) -> String {
        if geteuid() == 0 { return "/var/lib/shido" }
        let home = environment["XDG_STATE_HOME"] ?? (FileManager.default.homeDirectoryForCurrentUser.path + "/.local/state")
        return home + "/shido"
    }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func userRoles(_ text: String) throws -> [String: Role] {
        var roles: [String: Role] = [:]
        for entry in list(text) {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let role = Role(rawValue: parts[1]) else {
                throw ValidationError("user-roles entry '\(entry)' must be user=reader, user=recorder or user=admin")
            }
            roles[parts[0]] = role
        }
        return roles
    }

    private static func positive(_ text: String, _ name: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw ValidationError("\(name) '\(text)' must be a positive number of bytes") }
        return value
    }
}
