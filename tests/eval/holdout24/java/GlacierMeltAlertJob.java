/**
 * Every ten minutes, compares the latest melt-rate reading of each ablation stake
 * sensor with its alert threshold. Alerts go into melt_alerts, which the field
 * team's pager bridge consumes. After alerting, a sensor is muted for six hours
 * so the team is not paged every ten minutes during a warm spell.
 */
@Component
public class GlacierMeltAlertJob {

    private static final Logger log = LoggerFactory.getLogger(GlacierMeltAlertJob.class);

    private final JdbcTemplate jdbc;

    public GlacierMeltAlertJob(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Sensor(long id, String stakeCode, double thresholdMmPerHour) {}

    record Reading(double meltMmPerHour, Timestamp takenAt, boolean muted) {}

    @Scheduled(cron = "0 */10 * * * *")
    @Transactional
    public void checkMeltRates() {
        List<Sensor> sensors = jdbc.query(
            "SELECT id, stake_code, threshold_mm_h FROM sensors WHERE active AND kind = 'ABLATION_STAKE'",
            (rs, i) -> new Sensor(rs.getLong("id"), rs.getString("stake_code"), rs.getDouble("threshold_mm_h")));

        List<Object[]> alerts = new ArrayList<>();
        List<Object[]> mutes = new ArrayList<>();

        for (Sensor sensor : sensors) {
            Reading latest;
            try {
                latest = jdbc.queryForObject("SELECT r.melt_mm_h, r.taken_at, EXISTS (SELECT 1 FROM alert_mutes m WHERE m.sensor_id = r.sensor_id AND m.muted_until > now()) AS muted " +
                    "FROM readings r WHERE r.sensor_id = ? ORDER BY r.taken_at DESC LIMIT 1",
                    (rs, i) -> new Reading(rs.getDouble("melt_mm_h"), rs.getTimestamp("taken_at"), rs.getBoolean("muted")),
                    sensor.id());
            } catch (DataAccessException e) {
                continue;
            }

            if (latest == null || latest.muted()) {
                continue;
            }
            if (latest.meltMmPerHour() >= sensor.thresholdMmPerHour()) {
                alerts.add(new Object[] { sensor.id(), latest.meltMmPerHour(), latest.takenAt(),
                    "Stake " + sensor.stakeCode() + " melting at " + latest.meltMmPerHour() + " mm/h" });
                mutes.add(new Object[] { sensor.id() });
            }
        }

        if (alerts.isEmpty()) {
            log.debug("melt check: {} sensors, no alerts", sensors.size());
            return;
        }

        jdbc.batchUpdate(
            "INSERT INTO melt_alerts (sensor_id, melt_mm_h, reading_taken_at, message) VALUES (?, ?, ?, ?)",
            alerts);
        jdbc.batchUpdate("INSERT INTO alert_mutes (sensor_id, muted_until) VALUES (?, now() + interval '6 hours')",
            mutes);

        log.info("melt check: {} sensors, {} alerts raised", sensors.size(), alerts.size());
    }
}
