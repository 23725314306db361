/// Registering and updating companies and engineers.
enum RegistrationRules {
    static func register(_ payload: CompanyRegistered, _ state: CompanyState) throws(Rejection) -> Decision {
        let clean = CompanyRegistered(
            code: payload.code,
            name: try TextRules.check(payload.name, at: "/name", maxCharacters: 200),
            industry: try TextRules.check(payload.industry, at: "/industry", maxCharacters: 100),
            products: try TextRules.list(payload.products, at: "/products", maxItems: 50, maxCharacters: 200, required: false))
        if let existing = state.registration {
            guard existing == clean else { throw Rejection(.alreadyRegistered, at: "/code", "company \(payload.code) is already registered; update it instead") }
            return .unchanged(recordedBy: state.registeredBy.map { [$0] } ?? [])
        }
        return .record([.companyRegistered(clean)])
    }

    static func update(_ payload: CompanyUpdated, _ state: CompanyState) throws(Rejection) -> Decision {
        guard state.isRegistered else { throw Rejection(.unknownCompany, at: "/code", "company \(payload.code) is not registered") }
        let clean = CompanyUpdated(
            code: payload.code,
            name: try payload.name.map { name throws(Rejection) in try TextRules.check(name, at: "/name", maxCharacters: 200) },
            industry: try payload.industry.map { text throws(Rejection) in try TextRules.check(text, at: "/industry", maxCharacters: 100) },
            products: try payload.products.map { list throws(Rejection) in
                try TextRules.list(list, at: "/products", maxItems: 50, maxCharacters: 200, required: false)
            })
        guard clean.name != nil || clean.industry != nil || clean.products != nil else {
            throw Rejection(.nothingToUpdate, at: "", "name, industry or products must be given")
        }
        if let current = state.registration, clean.name ?? current.name == current.name,
           clean.industry ?? current.industry == current.industry, clean.products ?? current.products == current.products {
            return .unchanged(recordedBy: state.latestEventID.map { [$0] } ?? [])
        }
        return .record([.companyUpdated(clean)])
    }

    static func register(_ payload: EngineerRegistered, _ state: EngineerState) throws(Rejection) -> Decision {
        let clean = EngineerRegistered(
            engineerID: payload.engineerID,
            name: try TextRules.check(payload.name, at: "/name", maxCharacters: 200),
            specialty: try TextRules.check(payload.specialty, at: "/specialty", maxCharacters: 200),
            career: try TextRules.check(payload.career, at: "/career", maxCharacters: 4000, multiline: true))
        if let existing = state.registration {
            guard existing == clean else {
                throw Rejection(.alreadyRegistered, at: "/engineerID", "engineer \(payload.engineerID) is already registered; update them instead")
            }
            return .unchanged(recordedBy: state.registeredBy.map { [$0] } ?? [])
        }
        return .record([.engineerRegistered(clean)])
    }

    static func update(_ payload: EngineerUpdated, _ state: EngineerState) throws(Rejection) -> Decision {
        guard state.isRegistered else { throw Rejection(.unknownEngineer, at: "/engineerID", "engineer \(payload.engineerID) is not registered") }
        let clean = EngineerUpdated(
            engineerID: payload.engineerID,
            name: try payload.name.map { text throws(Rejection) in try TextRules.check(text, at: "/name", maxCharacters: 200) },
            specialty: try payload.specialty.map { text throws(Rejection) in try TextRules.check(text, at: "/specialty", maxCharacters: 200) },
            career: try payload.career.map { text throws(Rejection) in
                try TextRules.check(text, at: "/career", maxCharacters: 4000, multiline: true)
            })
        guard clean.name != nil || clean.specialty != nil || clean.career != nil else {
            throw Rejection(.nothingToUpdate, at: "", "name, specialty or career must be given")
        }
        if let current = state.registration, clean.name ?? current.name == current.name,
           clean.specialty ?? current.specialty == current.specialty, clean.career ?? current.career == current.career {
            return .unchanged(recordedBy: state.latestEventID.map { [$0] } ?? [])
        }
        return .record([.engineerUpdated(clean)])
    }
}
