/// A Korean SME joined the program. Stream: `company-<code>`.
public struct CompanyRegistered: Hashable, Sendable, Codable {
    public var code: CompanyCode
    public var name: String
    public var industry: String
    public var products: [String]

    public init(code: CompanyCode, name: String, industry: String, products: [String]) {
        self.code = code
        self.name = name
        self.industry = industry
        self.products = products
    }
}

/// Some of a company's details changed; absent fields are unchanged. Stream: `company-<code>`.
public struct CompanyUpdated: Hashable, Sendable, Codable {
    public var code: CompanyCode
    public var name: String?
    public var industry: String?
    public var products: [String]?

    public init(code: CompanyCode, name: String? = nil, industry: String? = nil, products: [String]? = nil) {
        self.code = code
        self.name = name
        self.industry = industry
        self.products = products
    }
}

/// A retired Japanese engineer joined the program. Stream: `engineer-<id>`.
public struct EngineerRegistered: Hashable, Sendable, Codable {
    public var engineerID: EngineerID
    public var name: String
    public var specialty: String
    public var career: String

    public init(engineerID: EngineerID, name: String, specialty: String, career: String) {
        self.engineerID = engineerID
        self.name = name
        self.specialty = specialty
        self.career = career
    }
}

/// Some of an engineer's details changed; absent fields are unchanged. Stream: `engineer-<id>`.
public struct EngineerUpdated: Hashable, Sendable, Codable {
    public var engineerID: EngineerID
    public var name: String?
    public var specialty: String?
    public var career: String?

    public init(engineerID: EngineerID, name: String? = nil, specialty: String? = nil, career: String? = nil) {
        self.engineerID = engineerID
        self.name = name
        self.specialty = specialty
        self.career = career
    }
}
