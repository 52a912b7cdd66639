/// Whether an organization can read a table: some platforms and plans offer only part of the Admin API
/// (Claude Enterprise: members and invites; Claude Platform on AWS: the workspace endpoints), and the
/// endpoints they lack answer 403 or 404.
public enum TableAvailability: Sendable, Hashable, CustomStringConvertible {
    /// The first page came back.
    case readable
    /// The endpoint answered 403 or 404: the organization's platform or plan does not offer the table.
    case unavailable(status: Int)
    /// Another failure (network, 5xx after retries, a malformed page): says nothing about availability.
    case failed(reason: String)

    public var description: String {
        switch self {
        case .readable: "readable"
        case .unavailable(let status): "not available to this organization (HTTP \(status))"
        case .failed(let reason): "could not be checked: \(reason)"
        }
    }
}

extension AdminClientError {
    /// `true` when this error says the organization cannot use the table at all: 403 on any of its endpoints,
    /// or 404 on one that names no workspace. A 404 on one workspace's listing
    /// (`/v1/organizations/workspaces/{id}/members`) rather means that workspace is gone, and is retried.
    public var isTableUnavailable: Bool {
        switch code {
        case .forbidden:
            return true
        case .notFound:
            guard let endpoint else { return true }
            let segments = endpoint.split(separator: "/")
            guard let index = segments.firstIndex(of: "workspaces") else { return true }
            return index + 1 >= segments.count
        default:
            return false
        }
    }
}

extension AdminClient {
    /// Reads the first page of `table` (for a time table, the day `day`) to find out whether the organization
    /// can read it. Nothing else is read; the pages are not kept.
    ///
    /// - Parameters:
    ///   - table: the table.
    ///   - day: the day a time table is probed on (yesterday is a good choice).
    /// - Returns: ``TableAvailability``.
    public func availability(of table: AdminTable, on day: CalendarDay) async -> TableAvailability {
        do throws(AdminClientError) {
            if table.definition.pagination == .single {
                _ = try await organization()
            } else {
                let query: TableQuery = table.definition.cursorKind == .snapshot ? .snapshot : .day(day)
                var iterator = pages(table, query: query).makeAsyncIterator()
                _ = try await iterator.next()
            }
            return .readable
        } catch {
            if error.isTableUnavailable { return .unavailable(status: error.status ?? 0) }
            return .failed(reason: error.description)
        }
    }
}
