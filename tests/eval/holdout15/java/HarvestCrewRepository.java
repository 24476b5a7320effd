@Repository
public class HarvestCrewRepository {

    private static final int PAGE = 500;

    private final NamedParameterJdbcTemplate jdbc;

    public HarvestCrewRepository(NamedParameterJdbcTemplate jdbc) { this.jdbc = jdbc; }

    // nightly bin-count rollup for payroll; walks pickers page by page (keyset on id)
    public void forEachPickerPage(long farmId, LocalDate day, Consumer<List<PickerTally>> sink) {
        long lastId = 0;
        while (true) {
            List<Long> ids = jdbc.queryForList(
                "SELECT id FROM pickers WHERE farm_id = :farm AND id > :last AND active ORDER BY id LIMIT :lim",
                Map.of("farm", farmId, "last", lastId, "lim", PAGE), Long.class);
            if (ids.isEmpty()) return;

            // one query per page, not per picker
            List<PickerTally> tallies = jdbc.query(
                "SELECT b.picker_id, b.block_id, count(*) AS bins, sum(b.weight_kg) AS kg " +
                "FROM bin_tickets b WHERE b.farm_id = :farm AND b.picked_on = :day AND b.picker_id IN (:ids) " +
                "GROUP BY b.picker_id, b.block_id",
                Map.of("farm", farmId, "day", day, "ids", ids),
                (rs, n) -> new PickerTally(rs.getLong("picker_id"), rs.getLong("block_id"), rs.getInt("bins"), rs.getBigDecimal("kg")));
            sink.accept(tallies);
            lastId = ids.get(ids.size() - 1);
        }
    }

    public List<CrewAssignment> assignmentsForBlock(long farmId, long blockId, LocalDate day) {
        return jdbc.query(
            "SELECT a.crew_id, a.block_id, a.row_from, a.row_to, c.lead_name FROM crew_assignments a " +
            "JOIN crews c ON c.id = a.crew_id AND c.farm_id = a.farm_id " +
            "WHERE a.farm_id = :farm AND a.block_id = :block AND a.work_date = :day ORDER BY a.row_from LIMIT 200",
            Map.of("farm", farmId, "block", blockId, "day", day),
            (rs, n) -> new CrewAssignment(rs.getLong("crew_id"), rs.getLong("block_id"),
                    rs.getInt("row_from"), rs.getInt("row_to"), rs.getString("lead_name")));
    }

    // apple_varieties is the shared catalogue (Honeycrisp, Gala, Cosmic Crisp...), no farm_id column
    public Optional<Variety> variety(int varietyId) {
        return jdbc.query("SELECT id, name, bin_weight_kg FROM apple_varieties WHERE id = :id",
                Map.of("id", varietyId),
                (rs, n) -> new Variety(rs.getInt("id"), rs.getString("name"), rs.getBigDecimal("bin_weight_kg")))
            .stream().findFirst();
    }

    public int assignCrew(long farmId, long crewId, long blockId, LocalDate day, int rowFrom, int rowTo) {
        // unique (farm_id, block_id, work_date, row_from) -> second crew on same rows is a no-op
        return jdbc.update(
            "INSERT INTO crew_assignments (farm_id, crew_id, block_id, work_date, row_from, row_to) " +
            "VALUES (:farm, :crew, :block, :day, :from, :to) ON CONFLICT DO NOTHING",
            new MapSqlParameterSource().addValue("farm", farmId).addValue("crew", crewId)
                .addValue("block", blockId).addValue("day", day).addValue("from", rowFrom).addValue("to", rowTo));
    }
}
