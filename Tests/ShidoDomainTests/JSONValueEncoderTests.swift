import Foundation
import ShidoDomain
import ShidoJSON
import Testing

/// `JSONValueEncoder` must write what Foundation's `JSONEncoder` writes, read back.
@Suite("Encoding events straight into JSON values")
struct JSONValueEncoderTests {
    func viaFoundation(_ value: some Encodable) throws -> JSONValue {
        try JSONParser.parse(Array(try JSONEncoder().encode(value)))
    }

    @Test("every sample event's data equals Foundation's encoding of its payload")
    func eventsMatchFoundation() throws {
        for event in try SampleEvents.all() {
            #expect(event.data == (try viaFoundation(Self.payload(of: event))), "\(event.type)")
        }
    }

    struct Shapes: Encodable {
        var hours: Double
        var optional: String?
        var nested: [[Int]]
        var flags: [Bool]
        var inner: Inner
        var empty: [String]

        struct Inner: Encodable {
            var name = "名前 이름"
            var value: Double? = 0.1
        }
    }

    @Test("numbers, nils left out, nested arrays and objects, empty arrays", arguments: [
        3.0, 2.5, 0.1, 1e-7, 1e21, 123_456_789.125, -0.5, 40,
    ])
    func shapesMatchFoundation(hours: Double) throws {
        let value = Shapes(hours: hours, optional: nil, nested: [[1, 2], [], [Int.max]], flags: [true, false], inner: .init(), empty: [])
        #expect(try JSONValueEncoder().encode(value) == (try viaFoundation(value)))
        #expect(try JSONValueEncoder().encode(value).canonicalText == (try viaFoundation(value)).canonicalText)
    }

    @Test("a non-finite double is refused, as Foundation refuses it")
    func nonFiniteRefused() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Shapes.Inner(value: .infinity)) }
        #expect(throws: EncodingError.self) { try JSONEncoder().encode(Shapes.Inner(value: .infinity)) }
    }

    static func payload(of event: DomainEvent) -> any Encodable {
        switch event {
        case .companyRegistered(let payload): payload
        case .companyUpdated(let payload): payload
        case .engineerRegistered(let payload): payload
        case .engineerUpdated(let payload): payload
        case .engagementStarted(let payload): payload
        case .guidanceSessionLogged(let payload): payload
        case .outcomeReported(let payload): payload
        case .exportRecorded(let payload): payload
        case .engagementCompleted(let payload): payload
        case .entryCorrected(let payload): payload
        case .entryRetracted(let payload): payload
        }
    }
}
