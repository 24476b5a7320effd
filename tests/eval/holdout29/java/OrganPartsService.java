package com.windchest.restoration.parts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestTemplate;

/**
 * Parts lists for pipe-organ restoration jobs. Each workshop (tenant) keeps its own inventory of
 * leathers, pallet springs, trackers and reed tongues; pipe specs come from the supplier's
 * catalogue API (one entry per rank/pitch, there are tens of thousands of part numbers).
 */
@Service
public class OrganPartsService {

    // part number -> supplier spec (scale, mouth width, metal alloy)
    private static final Map<String, PipeSpec> SPEC_CACHE = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final RestTemplate catalogue;

    public OrganPartsService(JdbcTemplate jdbc, RestTemplateBuilder builder) {
        this.jdbc = jdbc;
        this.catalogue = builder
            .rootUri("https://catalogue.pipeworks-supply.co.uk/v2")
            .setConnectTimeout(Duration.ofSeconds(2))
            .setReadTimeout(Duration.ofSeconds(6))
            .build();
    }

    public PipeSpec specFor(String partNo) {
        return SPEC_CACHE.computeIfAbsent(partNo,
            pn -> catalogue.getForObject("/pipes/{partNo}", PipeSpec.class, pn));
    }

    /** Bill of parts for a job, with what the workshop already has on the shelf. */
    public List<PartLine> partsList(long workshopId, long jobId) {
        List<JobPart> needed = jdbc.query(
            "SELECT part_no, description, qty FROM job_parts WHERE workshop_id = ? AND job_id = ? ORDER BY part_no",
            (rs, i) -> new JobPart(rs.getString("part_no"), rs.getString("description"), rs.getInt("qty")),
            workshopId, jobId);

        List<PartLine> lines = new ArrayList<>(needed.size());
        for (JobPart part : needed) {
            int onShelf;
            try {
                onShelf = jdbc.queryForObject(
                    "SELECT qty_on_hand FROM parts_inventory WHERE workshop_id = ? AND part_no = ?",
                    Integer.class, workshopId, part.partNo());
            } catch (EmptyResultDataAccessException notStocked) {
                onShelf = 0;
            }
            lines.add(new PartLine(part.partNo(), part.description(), part.qty(), onShelf,
                Math.max(0, part.qty() - onShelf)));
        }
        return lines;
    }

    /** Type-ahead on the "add part" dialog. */
    public List<InventoryHit> searchInventory(long workshopId, String term) {
        String like = "%" + term.trim().toLowerCase() + "%";
        return jdbc.query(
            "SELECT id, part_no, description, qty_on_hand FROM parts_inventory WHERE lower(description) LIKE ? ORDER BY part_no LIMIT 25",
            (rs, i) -> new InventoryHit(rs.getLong("id"), rs.getString("part_no"),
                rs.getString("description"), rs.getInt("qty_on_hand")),
            like);
    }

    public record JobPart(String partNo, String description, int qty) {}
    public record PartLine(String partNo, String description, int needed, int onShelf, int toOrder) {}
    public record InventoryHit(long id, String partNo, String description, int qtyOnHand) {}
    public record PipeSpec(String partNo, double scaleMm, double mouthWidthMm, String alloy) {}
}
