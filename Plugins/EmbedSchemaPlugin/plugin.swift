import Foundation
import PackagePlugin

/// Turns SQL files into Swift source at build time, so the installed binary carries them byte
/// for byte and can never run with a stale copy: the package's `Schema/*.sql` for the
/// Migrations target (`EmbeddedSchema`), a target's own `SQL/*.sql` for any other
/// (`EmbeddedSQL`).
@main
struct EmbedSchemaPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let isSchema = target.name == "Migrations"
        let folder = isSchema ? context.package.directoryURL.appending(path: "Schema") : target.directoryURL.appending(path: "SQL")
        let files = try FileManager.default
            .contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let name = isSchema ? "EmbeddedSchema" : "EmbeddedSQL"
        let output = context.pluginWorkDirectoryURL.appending(path: "\(name).swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) SQL files into \(target.name)",
                executable: try context.tool(named: "embed-schema").url,
                arguments: [output.path, name] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            ),
        ]
    }
}
