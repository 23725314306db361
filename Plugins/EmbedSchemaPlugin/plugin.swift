import Foundation
import PackagePlugin

/// Turns files a target reads at run time into Swift source at build time, so the installed
/// binary carries them byte for byte and can never run with a stale copy: the package's
/// `Schema/*.sql` for the Migrations target (`EmbeddedSchema`), a target's own `SQL/*.sql`
/// (`EmbeddedSQL`) and its own `Templates/*` (`EmbeddedTemplates`: templates, message
/// catalogues, style sheets) for any other.
@main
struct EmbedSchemaPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        if target.name == "Migrations" {
            return try [embed(context.package.directoryURL.appending(path: "Schema"), as: "EmbeddedSchema", suffix: "sql", context, target)].compactMap { $0 }
        }
        return try [
            embed(target.directoryURL.appending(path: "SQL"), as: "EmbeddedSQL", suffix: "sql", context, target),
            embed(target.directoryURL.appending(path: "Templates"), as: "EmbeddedTemplates", suffix: nil, context, target),
        ].compactMap { $0 }
    }

    /// The command embedding a folder's files (those named `*.suffix`, or all), nil when the target has no such folder.
    private func embed(_ folder: URL, as name: String, suffix: String?, _ context: PluginContext, _ target: Target) throws -> Command? {
        guard FileManager.default.fileExists(atPath: folder.path) else { return nil }
        let files = try FileManager.default
            .contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { url in suffix.map { url.pathExtension == $0 } ?? !url.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "\(name).swift")
        return .buildCommand(
            displayName: "Embedding \(files.count) files of \(folder.lastPathComponent) into \(target.name)",
            executable: try context.tool(named: "embed-schema").url,
            arguments: [output.path, name] + files.map(\.path),
            inputFiles: files,
            outputFiles: [output]
        )
    }
}
