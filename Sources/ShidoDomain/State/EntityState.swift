/// A registered thing (a company or an engineer) as its stream tells it.
///
/// Guarantees: `registration` is the registration with every later update applied in
/// order; `version` counts the stream's events.
public struct RegistrationState<Registration: Hashable & Sendable>: Hashable, Sendable {
    public private(set) var registration: Registration?
    public private(set) var version: Int64 = 0

    public init() {}

    public var isRegistered: Bool { registration != nil }

    mutating func register(_ value: Registration) {
        version += 1
        registration = value
    }

    mutating func update(_ change: (inout Registration) -> Void) {
        version += 1
        guard var changed = registration else { return }
        change(&changed)
        registration = changed
    }
}

public typealias CompanyState = RegistrationState<CompanyRegistered>
public typealias EngineerState = RegistrationState<EngineerRegistered>

extension RegistrationState where Registration == CompanyRegistered {
    public mutating func apply(_ event: DomainEvent) {
        switch event {
        case .companyRegistered(let registered): register(registered)
        case .companyUpdated(let patch):
            update { company in
                if let name = patch.name { company.name = name }
                if let industry = patch.industry { company.industry = industry }
                if let products = patch.products { company.products = products }
            }
        default: break
        }
    }
}

extension RegistrationState where Registration == EngineerRegistered {
    public mutating func apply(_ event: DomainEvent) {
        switch event {
        case .engineerRegistered(let registered): register(registered)
        case .engineerUpdated(let patch):
            update { engineer in
                if let name = patch.name { engineer.name = name }
                if let specialty = patch.specialty { engineer.specialty = specialty }
                if let career = patch.career { engineer.career = career }
            }
        default: break
        }
    }
}
