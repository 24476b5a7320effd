package net.hivelog.web;

import java.io.ByteArrayOutputStream;
import java.sql.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.lowagie.text.Document;
import com.lowagie.text.Image;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.PdfWriter;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.DefaultCategoryDataset;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

// Hive inspection records for beekeeping associations. Each association (org) sees only its own apiaries.
// NB: sits behind the shared nginx ingress (proxy_read_timeout 30s)
@RestController
@RequestMapping("/orgs/{orgId}/inspections")
public class InspectionController {

    @Value("${hivelog.db.url}") String dbUrl;
    @Value("${hivelog.db.user}") String dbUser;
    @Value("${hivelog.db.password}") String dbPass;

    private Connection openConnection() throws SQLException {
        return DriverManager.getConnection(dbUrl, dbUser, dbPass);
    }

    @GetMapping
    public List<Map<String, Object>> list(@PathVariable long orgId, @RequestParam(defaultValue = "0") int offset) throws SQLException {
        try (Connection c = openConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, hive_id, inspected_on, queen_seen, brood_frames, varroa_count FROM inspections WHERE org_id = ? ORDER BY inspected_on DESC LIMIT 50 OFFSET ?")) {
            ps.setLong(1, orgId);
            ps.setInt(2, offset);
            return toMaps(ps.executeQuery());
        }
    }

    @GetMapping("/{id}")
    public Map<String, Object> one(@PathVariable long orgId, @PathVariable long id) throws SQLException {
        try (Connection c = openConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM inspections WHERE id = ?")) {
            ps.setLong(1, id);
            List<Map<String, Object>> rows = toMaps(ps.executeQuery());
            return rows.isEmpty() ? Map.of() : rows.get(0);
        }
    }

    // season report for the association AGM: one page + varroa chart per hive, all years
    // (the county association has ~900 hives and 8 years of records; takes a couple of minutes)
    @GetMapping(value = "/report.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    public ResponseEntity<byte[]> report(@PathVariable long orgId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document();
        PdfWriter.getInstance(doc, out);
        doc.open();
        try (Connection c = openConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT hive_id, inspected_on, varroa_count, notes FROM inspections WHERE org_id = ? ORDER BY hive_id, inspected_on")) {
            ps.setLong(1, orgId);
            Map<Long, DefaultCategoryDataset> perHive = new LinkedHashMap<>();
            ResultSet rs = ps.executeQuery();
            while (rs.next()) {
                perHive.computeIfAbsent(rs.getLong("hive_id"), h -> new DefaultCategoryDataset())
                        .addValue(rs.getInt("varroa_count"), "varroa", rs.getDate("inspected_on").toString());
            }
            for (Map.Entry<Long, DefaultCategoryDataset> hive : perHive.entrySet()) {
                doc.newPage();
                doc.add(new Paragraph("Hive #" + hive.getKey()));
                JFreeChart chart = ChartFactory.createLineChart("Varroa count", "date", "mites", hive.getValue());
                doc.add(Image.getInstance(ChartUtils.encodeAsPNG(chart.createBufferedImage(1200, 600))));
            }
        }
        doc.close();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF).body(out.toByteArray());
    }

    private static List<Map<String, Object>> toMaps(ResultSet rs) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getObject(i));
            out.add(row);
        }
        return out;
    }
}
