import ArgumentParser
import ShidoAPI
import ShidoClient

/// The CLI's exit codes (sysexits.h values, so scripts can tell failures apart).
enum Exit {
    static let ok: Int32 = 0
    static let usage: Int32 = 64
    /// The daemon refused the input (422, 400, 413, 415) or a local file was malformed.
    static let rejected: Int32 = 65
    /// The daemon could not be reached (no socket, nothing listening).
    static let unreachable: Int32 = 69
    /// A program this command needs is not installed (Chromium, for a PDF).
    static let unavailable: Int32 = 69
    /// The daemon or the database failed (500, 503).
    static let serverError: Int32 = 70
    /// Try again: the stream changed meanwhile (409), or the views had not caught up with
    /// the asked position in time (504).
    static let conflict: Int32 = 75
    /// The socket or the daemon refused this user (403, EACCES).
    static let permissionDenied: Int32 = 77

    static func code(for problem: Problem) -> Int32 {
        switch problem.status {
        case 403: permissionDenied
        case 409, 504: conflict
        case 400..<500: rejected
        default: serverError
        }
    }

    static func code(for error: ClientError) -> Int32 {
        switch error {
        case .permissionDenied: permissionDenied
        case .unreachable: unreachable
        case .protocolError: serverError
        }
    }
}

/// A failure already explained to the user; only its exit code remains to be set.
struct Failure: Error {
    let message: String
    let code: Int32
}
