@testable import ShidoServer
import Testing

/// The Content-Type check every recording request passes, without a server.
@Suite("Media type check")
struct MediaTypeTests {
    @Test("parameters, surrounding spaces and ASCII case do not matter", arguments: [
        "application/json", "Application/JSON", " application/json ", "application/json; charset=utf-8", "\tapplication/json\t;x",
    ])
    func accepted(_ header: String) {
        #expect(BodyReader.mediaType(of: header, is: "application/json"))
    }

    @Test("anything else is another media type", arguments: [
        "", "application/jsonx", "application/x-ndjson", "text/plain", "application/ json", "application/json\u{0130}", "ａpplication/json",
    ])
    func refused(_ header: String) {
        #expect(!BodyReader.mediaType(of: header, is: "application/json"))
    }
}
