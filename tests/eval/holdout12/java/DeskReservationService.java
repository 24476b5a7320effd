// You're right that the original `existsByDeskIdAndDay(...)` then `save(...)` can double-book
// a desk when two members click at the same moment. Here's a fixed version:
//  1. lock the desk row (SELECT ... FOR UPDATE) for the duration of the transaction,
//  2. keep the unique constraint uq_reservation_desk_day as a backstop,
//  3. decrement day-pass credits with a conditional UPDATE instead of read-modify-write.

public interface DeskRepository extends JpaRepository<Desk, Long> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select d from Desk d where d.id = :deskId and d.workspaceId = :workspaceId")
    Optional<Desk> lockDesk(@Param("workspaceId") Long workspaceId, @Param("deskId") Long deskId);
}

public interface ReservationRepository extends JpaRepository<Reservation, Long> {

    boolean existsByWorkspaceIdAndDeskIdAndDay(Long workspaceId, Long deskId, LocalDate day);
}

public interface MembershipRepository extends JpaRepository<Membership, Long> {

    @Modifying
    @Query("update Membership m set m.dayCredits = m.dayCredits - 1 " +
           "where m.id = :id and m.workspaceId = :workspaceId and m.dayCredits > 0")
    int consumeCredit(@Param("workspaceId") Long workspaceId, @Param("id") Long membershipId);
}

@Service
@RequiredArgsConstructor
@Slf4j
public class DeskReservationService {

    private final DeskRepository desks;
    private final ReservationRepository reservations;
    private final MembershipRepository memberships;

    @Transactional
    public Reservation reserve(Long workspaceId, Long membershipId, Long deskId, LocalDate day) {
        Desk desk = desks.lockDesk(workspaceId, deskId)
                .orElseThrow(() -> new DeskNotFoundException(deskId));

        // Safe: we hold the row lock on the desk, so no other transaction can get here for it.
        if (reservations.existsByWorkspaceIdAndDeskIdAndDay(workspaceId, deskId, day)) {
            throw new DeskTakenException(deskId, day);
        }

        if (memberships.consumeCredit(workspaceId, membershipId) == 0) {
            throw new NoCreditsLeftException(membershipId);
        }

        try {
            return reservations.saveAndFlush(new Reservation(workspaceId, desk.getId(), membershipId, day));
        } catch (DataIntegrityViolationException e) {
            // uq_reservation_desk_day fired; should be unreachable with the lock, but don't hide it
            log.warn("unique constraint hit reserving desk {} on {}", deskId, day, e);
            throw new DeskTakenException(deskId, day);
        }
    }
}
