/// A company as its stream tells it.
public struct CompanyState: Hashable, Sendable {
    public private(set) var registration: CompanyRegistered?
    public private(set) var version: Int64 = 0

    public init() {}

    public var isRegistered: Bool { registration != nil }

    public mutating func apply(_ event: DomainEvent) {
        version += 1
        switch event {
        case .companyRegistered(let registered): registration = registered
        case .companyUpdated(let update):
            guard var changed = registration else { return }
            if let name = update.name { changed.name = name }
            if let industry = update.industry { changed.industry = industry }
            if let products = update.products { changed.products = products }
            registration = changed
        default: break
        }
    }
}

/// An engineer as their stream tells it.
public struct EngineerState: Hashable, Sendable {
    public private(set) var registration: EngineerRegistered?
    public private(set) var version: Int64 = 0

    public init() {}

    public var isRegistered: Bool { registration != nil }

    public mutating func apply(_ event: DomainEvent) {
        version += 1
        switch event {
        case .engineerRegistered(let registered): registration = registered
        case .engineerUpdated(let update):
            guard var changed = registration else { return }
            if let name = update.name { changed.name = name }
            if let specialty = update.specialty { changed.specialty = specialty }
            if let career = update.career { changed.career = career }
            registration = changed
        default: break
        }
    }
}
