import Foundation
import ShidoAPI
import Testing
@testable import shidod

@Suite("Daemon settings: flags, then environment, then config file, then defaults")
struct ConfigurationTests {
    static func configFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/shidod-\(UUID().uuidString).conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("each source overrides the ones after it")
    func precedence() throws {
        let file = try Self.configFile("""
            # a comment
            socket = /from/file.sock
            socket-mode = 0640
            log-level = debug   # trailing comment
            user-roles = alice=recorder, bob=reader
            """)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let options = try DaemonOptions.parse(["--config", file, "--socket", "/from/flag.sock"])
        let settings = try options.resolve(environment: ["SHIDO_SOCKET_MODE": "0600", "SHIDO_SOCKET": "/from/env.sock"])
        #expect(settings.socketPath == "/from/flag.sock")
        #expect(settings.socketMode == 0o600)
        #expect(settings.logLevel == .debug)
        #expect(settings.userRoles == ["alice": .recorder, "bob": .reader])
        #expect(settings.groupRoles["shido-recorders"] == .recorder && settings.groupRoles["shido"] == .reader)
        #expect(settings.maxBodyBytes == 1_048_576)
    }

    @Test("bad values are refused with the setting's name", arguments: [
        ("socket-mode = 999", "socket-mode"), ("user-roles = alice=owner", "user-roles"), ("log-level = loud", "log-level"),
        ("max-body-bytes = -1", "max-body-bytes"), ("sockett = /x", "expected 'name = value'"),
    ])
    func badValues(_ line: String, _ named: String) throws {
        let file = try Self.configFile(line)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let options = try DaemonOptions.parse(["--config", file])
        #expect { try options.resolve(environment: [:]) } throws: { "\($0)".contains(named) }
    }
}
