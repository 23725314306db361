import Foundation
import ShidoDomain
import Testing

@Suite("docs/events.md")
struct DocsTests {
    /// The JSON examples in docs/events.md are what the encoder writes for `SampleEvents`.
    @Test("every event type is documented with the example the code produces")
    func examplesMatchTheCode() throws {
        let docsURL = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/events.md")
        let docs = try String(contentsOf: docsURL, encoding: .utf8)
        for event in try SampleEvents.all() {
            #expect(docs.contains("### \(event.type) (schema version \(event.schemaVersion))"), "heading for \(event.type)")
            #expect(docs.contains("```json\n" + event.data.canonicalText + "\n```"), "example for \(event.type)")
        }
    }
}
