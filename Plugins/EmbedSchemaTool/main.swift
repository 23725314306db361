import Foundation

// Usage: embed-schema OUTPUT.swift ENUM FILE...
// Writes a Swift file declaring `ENUM.files`: each file's name and its exact bytes
// (base64, so that no character of it needs escaping in Swift source).
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-schema OUTPUT.swift ENUM FILE.sql...\n".utf8))
    exit(64)
}
let name = arguments.dropFirst().first ?? "EmbeddedSchema"
var source = "// Generated at build time from SQL files. Do not edit.\n"
source += "enum \(name) {\n    static let files: [(name: String, base64: String)] = [\n"
for path in arguments.dropFirst(2) {
    let url = URL(fileURLWithPath: path)
    let bytes = try Data(contentsOf: url)
    source += "        (\"\(url.lastPathComponent)\", \"\(bytes.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
