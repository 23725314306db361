/// A registered thing (a company or an engineer) as its stream tells it.
///
/// Guarantees: `registration` is the registration with every later update applied in
/// order; `version` counts the stream's events; `registeredBy` and `latestEventID` name the
/// registering event and the stream's newest event.
public struct RegistrationState<Registration: Hashable & Sendable>: Hashable, Sendable {
    public private(set) var registration: Registration?
    public private(set) var version: Int64 = 0
    public private(set) var registeredBy: String?
    public private(set) var latestEventID: String?

    public init() {}

    public var isRegistered: Bool { registration != nil }

    mutating func register(_ value: Registration, eventID: String) {
        version += 1
        latestEventID = eventID
        registeredBy = eventID
        registration = value
    }

    mutating func update(eventID: String, _ change: (inout Registration) -> Void) {
        version += 1
        latestEventID = eventID
        guard var changed = registration else { return }
        change(&changed)
        registration = changed
    }
}

public typealias CompanyState = RegistrationState<CompanyRegistered>
public typealias EngineerState = RegistrationState<EngineerRegistered>

extension RegistrationState where Registration == CompanyRegistered {
    public mutating func apply(_ event: DomainEvent, eventID: String) {
        switch event {
        case .companyRegistered(let registered): register(registered, eventID: eventID)
        case .companyUpdated(let patch):
            update(eventID: eventID) { company in
                if let name = patch.name { company.name = name }
                if let industry = patch.industry { company.industry = industry }
                if let products = patch.products { company.products = products }
            }
        default: break
        }
    }
}

extension RegistrationState where Registration == EngineerRegistered {
    public mutating func apply(_ event: DomainEvent, eventID: String) {
        switch event {
        case .engineerRegistered(let registered): register(registered, eventID: eventID)
        case .engineerUpdated(let patch):
            update(eventID: eventID) { engineer in
                if let name = patch.name { engineer.name = name }
                if let specialty = patch.specialty { engineer.specialty = specialty }
                if let career = patch.career { engineer.career = career }
            }
        default: break
        }
    }
}
