import Foundation
import ProgramViews
import ShidoAPI
import ShidoJSON
import ShidoServer
import Testing

@Suite("The OpenAPI document describes exactly the routes the daemon serves")
struct OpenAPITests {
    static func document() throws -> JSONValue {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/openapi.json").standardized.path
        return try JSONParser.parse(try String(contentsOfFile: path, encoding: .utf8))
    }

    /// The paths an endpoint answers as the document spells them: `/v1/views/{view}` is
    /// documented once per view, so that each lists exactly the parameters it takes.
    static func documentedPaths(_ endpoint: Endpoint) -> [String] {
        guard endpoint == .queryView else { return [endpoint.path] }
        return ViewName.allCases.map { "/v1/views/\($0.rawValue)" }
    }

    @Test("same paths and methods, and each operation names the role it needs")
    func routesMatch() throws {
        let document = try Self.document()
        #expect(document["openapi"] == "3.1.0")
        let paths = try #require(document["paths"]?.objectValue)
        var documented: Set<String> = []
        for (path, operations) in paths {
            for (method, operation) in operations.objectValue ?? [:] {
                documented.insert("\(method.uppercased()) \(path)")
                if let endpoint = Endpoint.allCases.first(where: { Self.documentedPaths($0).contains(path) && $0.method.rawValue == method.uppercased() }) {
                    #expect(operation["description"]?.stringValue?.contains("Role: \(endpoint.role.rawValue).") == true, "\(method) \(path)")
                }
            }
        }
        let served = Set(Endpoint.allCases.flatMap { endpoint in Self.documentedPaths(endpoint).map { "\(endpoint.method.rawValue) \($0)" } })
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
    }

    @Test("the problem types the document lists are exactly the ones the daemon answers")
    func problemTypesMatch() throws {
        let document = try Self.document()
        let listed = document["components"]?["schemas"]?["Problem"]?["properties"]?["type"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(Set(listed) == Set(ProblemType.allCases.map(\.uri)))
    }

    @Test("every schema reference resolves")
    func referencesResolve() throws {
        let document = try Self.document()
        var references: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if let target = members["$ref"]?.stringValue { references.append(target) }
                members.values.forEach(collect)
            case .array(let elements): elements.forEach(collect)
            default: break
            }
        }
        collect(document)
        #expect(!references.isEmpty)
        for reference in references {
            let parts = reference.dropFirst(2).split(separator: "/").map(String.init)
            let target = parts.reduce(document as JSONValue?) { $0?[$1] }
            #expect(target != nil, "\(reference)")
        }
    }
}
