// Volunteer dig days for the village fibre co-op (we dig our own trenches across
// farmland to bring fibre to the hamlets). This is the organiser side of the app,
// deployed on the co-op's k3s cluster as 2 pods behind Traefik.

@RestController
@RequestMapping("/api/networks/{networkId}/dig-days")
@RequiredArgsConstructor
public class DigDayBriefingController {

    private final JdbcTemplate jdbc;
    private final NetworkAccess access;
    private final TrenchMapRenderer mapRenderer;
    private final BriefingMailer mailer;

    // Dig days that currently have a briefing pack being built, so two organisers
    // pressing the button at once don't send volunteers two packs.
    private final Set<Long> packsInProgress = ConcurrentHashMap.newKeySet();

    @GetMapping("/{digDayId}/volunteers")
    public List<VolunteerRow> volunteers(@PathVariable long networkId, @PathVariable long digDayId, Principal principal) {
        access.requireOrganiser(principal, networkId);
        return jdbc.query(
                "SELECT v.id, v.name, v.phone, v.has_own_spade, v.first_aider FROM dig_volunteers v WHERE v.dig_day_id = ? ORDER BY v.name LIMIT 200",
                VolunteerRow.MAPPER, digDayId);
    }

    /**
     * Builds the briefing pack for a dig day: one A3 map sheet per trench
     * segment (field boundaries, landowner gates, existing utilities from the
     * survey), merged into a single PDF and emailed to every volunteer.
     */
    @PostMapping("/{digDayId}/briefing-pack")
    public ResponseEntity<Map<String, Object>> buildBriefingPack(@PathVariable long networkId,
                                                                 @PathVariable long digDayId,
                                                                 Principal principal) {
        access.requireOrganiser(principal, networkId);
        if (!packsInProgress.add(digDayId)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("message", "A pack is already being built"));
        }
        try {
            List<TrenchSegment> segments = jdbc.query(
                    "SELECT s.id, s.label, s.route_geojson, s.landowner, s.length_m FROM trench_segments s "
                            + "JOIN dig_days d ON d.id = s.dig_day_id WHERE d.id = ? AND d.network_id = ? ORDER BY s.seq",
                    TrenchSegment.MAPPER, digDayId, networkId);

            BriefingPack pack = new BriefingPack(digDayId);
            // Each sheet rasterises the survey layers and utilities at 1:1250; ~20-40 s a sheet.
            for (TrenchSegment segment : segments) {
                pack.addSheet(mapRenderer.renderSheet(segment, MapScale.ONE_TO_1250));
            }
            byte[] pdf = pack.mergeToPdf();

            List<String> recipients = jdbc.queryForList(
                    "SELECT v.email FROM dig_volunteers v JOIN dig_days d ON d.id = v.dig_day_id "
                            + "WHERE d.id = ? AND d.network_id = ? AND v.email IS NOT NULL",
                    String.class, digDayId, networkId);
            mailer.sendPack(recipients, "Dig day briefing pack", pdf);

            jdbc.update("UPDATE dig_days SET briefing_sent_at = now() WHERE id = ? AND network_id = ?", digDayId, networkId);
            return ResponseEntity.ok(Map.of("sheets", segments.size(), "sentTo", recipients.size()));
        } finally {
            packsInProgress.remove(digDayId);
        }
    }
}
