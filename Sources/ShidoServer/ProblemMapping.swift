import CommandHandling
import EventStore
import Hummingbird
import PostgresClient
import ProgramViews
import ShidoAPI
import ShidoDomain

/// Which problem document each error becomes.
enum ProblemMapping {
    static func problem(for error: any Error) -> Problem {
        switch error {
        case let problem as Problem: return problem
        case let error as HandlingError: return problem(for: error)
        case let rejection as Rejection: return problem(for: HandlingError.rejected(rejection))
        case let error as EventStoreError: return problem(for: error)
        case let error as ViewError: return problem(for: error)
        case let error as ImportError:
            var problem = problem(for: error.underlying)
            problem.line = error.line
            return problem
        case let error as PostgresError:
            return error.isConnectionFailure ? Problem(.unavailable, detail: error.description) : Problem(.internalError, detail: error.description)
        case let error as any HTTPResponseError: return problem(status: error.status.code, detail: "\(error)")
        default: return Problem(.internalError, detail: "\(error)")
        }
    }

    private static func problem(for error: HandlingError) -> Problem {
        switch error {
        case .rejected(let rejection):
            return Problem(.rejected, detail: rejection.message, field: rejection.field, rule: rejection.rule.rawValue)
        case .conflict(let stream, let expected, let actual):
            return Problem(.conflict, detail: "stream \(stream) is at version \(actual), not \(expected): read it again and retry")
        case .contended(let stream):
            return Problem(.conflict, detail: "stream \(stream) kept changing while the command was decided; retry")
        case .idempotencyKeyReused(let key):
            return Problem(.idempotencyKeyReused, detail: "Idempotency-Key '\(key)' was first used for another request; use a new key for a new request")
        case .unreadableEvent(let position, let reason):
            return Problem(.internalError, detail: "the event at position \(position) cannot be read: \(reason)")
        }
    }

    private static func problem(for error: EventStoreError) -> Problem {
        switch error {
        case .invalidInput(let field, let reason): Problem(.rejected, detail: reason, field: field)
        case .wrongExpectedVersion, .idempotencyConflict: Problem(.conflict, detail: error.description)
        case .unavailable, .shutDown: Problem(.unavailable, detail: error.description)
        case .outcomeUnknown: Problem(.outcomeUnknown, detail: error.description)
        case .chainBroken: Problem(.rejected, detail: error.description)
        case .database(let underlying):
            underlying.isConnectionFailure ? Problem(.unavailable, detail: error.description) : Problem(.internalError, detail: error.description)
        }
    }

    private static func problem(status: Int, detail: String) -> Problem {
        let type = ProblemType.allCases.first { $0.status == status } ?? (status >= 500 ? .internalError : .badRequest)
        return type == .notFound ? Problem(.notFound, detail: "no such route") : Problem(type, detail: detail)
    }

    private static func problem(for error: ViewError) -> Problem {
        switch error {
        case .behind(let minPosition, let positions, let waited):
            let reached = positions.sorted { $0.key < $1.key }.map { "\($0.key) at \($0.value)" }.joined(separator: ", ")
            return Problem(.projectionBehind, detail: "the views did not reach position \(minPosition) within \(waited) (\(reached)); try again, or see `shido projections status`")
        case .notReady(let name):
            return Problem(.projectionBehind, detail: "projection '\(name)' has not started on this database yet")
        case .beyondHead(let knownAt, let head):
            return Problem(.notFound, detail: "knownAt \(knownAt) is beyond the log's head (position \(head)); the past ends there")
        }
    }
}
