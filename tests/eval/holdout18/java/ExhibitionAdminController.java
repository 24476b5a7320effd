package uk.org.mrex.admin;

import java.security.Principal;
import java.sql.*;
import java.util.*;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

// Exhibition admin endpoints, used by the show committee for the spring exhibition
// (hall plan, stand allocation, ticket sales).
// prod: 2 tomcat nodes behind haproxy, round robin
@RestController
@RequestMapping("/admin")
public class ExhibitionAdminController {

    @Value("${db.url}") String dbUrl;
    @Value("${db.user}") String dbUser;
    @Value("${db.pass}") String dbPass;

    // layoutId -> committee member currently editing that hall plan
    static final Map<Long, String> editLocks = Collections.synchronizedMap(new HashMap<Long, String>());

    private Connection conn() throws SQLException {
        return DriverManager.getConnection(dbUrl, dbUser, dbPass);
    }

    @PostMapping("/layouts/{id}/lock")
    public ResponseEntity<?> lock(@PathVariable long id, Principal me) {
        synchronized (editLocks) {
            String holder = editLocks.get(id);
            if (holder != null && !holder.equals(me.getName())) {
                return ResponseEntity.status(423).body("hall plan is being edited by " + holder);
            }
            editLocks.put(id, me.getName());
        }
        return ResponseEntity.ok().build();
    }

    @PostMapping("/layouts/{id}/unlock")
    public ResponseEntity<?> unlock(@PathVariable long id, Principal me) {
        editLocks.remove(id, me.getName());
        return ResponseEntity.ok().build();
    }

    @PutMapping("/layouts/{id}/stands/{standNo}")
    public ResponseEntity<?> assignStand(@PathVariable long id, @PathVariable String standNo,
                                         @RequestParam long layoutClubId, Principal me) throws SQLException {
        if (!me.getName().equals(editLocks.get(id))) {
            return ResponseEntity.status(409).body("take the edit lock first");
        }
        try (Connection c = conn();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE stands SET club_id = ?, updated_by = ? WHERE layout_id = ? AND stand_no = ?")) {
            ps.setLong(1, layoutClubId);
            ps.setString(2, me.getName());
            ps.setLong(3, id);
            ps.setString(4, standNo);
            if (ps.executeUpdate() == 0) return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().build();
    }

    @GetMapping("/tickets")
    public List<Map<String, Object>> tickets() throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = conn();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT t.id, t.ticket_type, t.price_pence, t.sold_at, v.name, v.email, v.postcode FROM tickets t JOIN visitors v ON v.id = t.visitor_id ORDER BY t.sold_at DESC")) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", rs.getLong("id"));
                row.put("type", rs.getString("ticket_type"));
                row.put("price", rs.getInt("price_pence"));
                row.put("soldAt", rs.getTimestamp("sold_at"));
                row.put("name", rs.getString("name"));
                row.put("email", rs.getString("email"));
                row.put("postcode", rs.getString("postcode"));
                out.add(row);
            }
        }
        return out;
    }
}
