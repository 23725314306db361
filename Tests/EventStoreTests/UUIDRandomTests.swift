@testable import EventStore
import Foundation
import Testing

@Suite("Random event ids")
struct UUIDRandomTests {
    @Test("version 4, RFC 9562 variant, and no repeats in 100,000")
    func versionVariantAndUniqueness() {
        var seen = Set<UUID>()
        for _ in 0..<100_000 {
            let id = UUID.random()
            let text = id.uuidString.lowercased()
            #expect(Array(text)[14] == "4")
            #expect("89ab".contains(Array(text)[19]))
            seen.insert(id)
        }
        #expect(seen.count == 100_000)
    }
}
