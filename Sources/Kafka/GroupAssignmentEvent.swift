/// A change in the partitions a consumer group assigns to one member (see ``KafkaGroupMembership``).
///
/// Each event carries only the partitions that changed hands: with the eager protocol (`range`,
/// `roundrobin`) a rebalance revokes everything and then assigns the new full set; with
/// `cooperative-sticky` it revokes and assigns only what moves.
public enum GroupAssignmentEvent: Sendable, Hashable {
    /// The group gave these partitions to this member; it owns them from now on.
    case assigned(Set<Int32>)
    /// These partitions are being taken away from this member (delivered before they are released).
    case revoked(Set<Int32>)
}
