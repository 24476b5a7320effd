// Availability + stats for the harp tuning booking page (concert pedal harps and lever harps).
// Tuners publish their free slots for the week; the public calendar is the same for everyone.

@Service
public class HarpTuningAvailabilityService {

    private static final Duration WEEK_TTL = Duration.ofMinutes(2);

    record CachedWeek(List<OpenSlot> slots, Instant loadedAt) {
        boolean fresh() {
            return loadedAt.plus(WEEK_TTL).isAfter(Instant.now());
        }
    }

    public record OpenSlot(long slotId, long tunerId, String tunerName, String harpType, LocalDateTime startsAt) {}
    public record TunerMonth(long tunerId, String tunerName, LocalDate month, int appointments,
                             double avgMinutes, int pedalHarps) {}

    private static final Map<String, CachedWeek> WEEK_CACHE = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    public HarpTuningAvailabilityService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<OpenSlot> openSlots(long userId, LocalDate weekStart) {
        String key = userId + ":" + weekStart;
        return WEEK_CACHE.compute(key, (k, existing) ->
                existing != null && existing.fresh() ? existing : new CachedWeek(loadWeek(weekStart), Instant.now())
        ).slots();
    }

    private List<OpenSlot> loadWeek(LocalDate weekStart) {
        return jdbc.query(
                "SELECT s.id, t.id AS tuner_id, t.display_name, s.harp_type, s.starts_at "
                        + "FROM tuning_slots s JOIN tuners t ON t.id = s.tuner_id "
                        + "WHERE s.starts_at >= ? AND s.starts_at < ? AND s.appointment_id IS NULL "
                        + "ORDER BY s.starts_at",
                (rs, i) -> new OpenSlot(rs.getLong("id"), rs.getLong("tuner_id"), rs.getString("display_name"),
                        rs.getString("harp_type"), rs.getTimestamp("starts_at").toLocalDateTime()),
                weekStart.atStartOfDay(), weekStart.plusDays(7).atStartOfDay());
    }

    /** Claim a slot for an appointment; the slot row is the unit of availability. */
    @Transactional
    public boolean book(long slotId, long appointmentId) {
        int claimed = jdbc.update(
                "UPDATE tuning_slots SET appointment_id = ? WHERE id = ? AND appointment_id IS NULL",
                appointmentId, slotId);
        return claimed == 1;
    }

    /**
     * Feeds the "Our tuners" strip at the bottom of the booking page: appointments and
     * average session length per tuner per month since the studio opened.
     */
    public List<TunerMonth> tunerStats() {
        return jdbc.query(
                "SELECT t.id, t.display_name, date_trunc('month', a.starts_at)::date AS month, count(*) AS n, "
                        + "avg(extract(epoch FROM a.ends_at - a.starts_at) / 60) AS avg_min, "
                        + "count(*) FILTER (WHERE a.harp_type = 'PEDAL') AS pedal "
                        + "FROM appointments a JOIN tuners t ON t.id = a.tuner_id "
                        + "GROUP BY t.id, t.display_name, date_trunc('month', a.starts_at) ORDER BY month DESC, t.display_name",
                (rs, i) -> new TunerMonth(rs.getLong("id"), rs.getString("display_name"),
                        rs.getDate("month").toLocalDate(), rs.getInt("n"), rs.getDouble("avg_min"), rs.getInt("pedal")));
    }
}

// Controller side (same module):
//
// @GetMapping("/api/tuning/week")
// public List<OpenSlot> week(@AuthenticationPrincipal Customer c, @RequestParam LocalDate start) {
//     return availability.openSlots(c.id(), start);
// }
//
// @GetMapping("/api/tuning/tuners")
// public List<TunerMonth> tuners() { return availability.tunerStats(); }
