// is this safe? opening night of the festival, ~2k people hit "buy" at 10:00 sharp
public interface ScreeningSeatRepository extends JpaRepository<Screening, Long> {

    @Modifying(clearAutomatically = true)
    @Query("update Screening s set s.seatsSold = s.seatsSold + :qty " +
           "where s.id = :id and s.seatsSold + :qty <= s.capacity")
    int reserveSeats(@Param("id") long screeningId, @Param("qty") int qty);
}

// in TicketService
@Transactional
public TicketOrder buy(long screeningId, int qty, long attendeeId) {
    if (qty < 1 || qty > 6) throw new IllegalArgumentException("1-6 tickets per order");
    int updated = screeningSeats.reserveSeats(screeningId, qty);
    if (updated == 0) {
        throw new SoldOutException(screeningId);
    }
    return orders.save(new TicketOrder(screeningId, attendeeId, qty, OrderStatus.CONFIRMED));
}
