package studio.inkandquoin.loans;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

/**
 * Members borrow cases of metal and wood type (e.g. "Caslon 24pt, case 7") for a week.
 * The public loan form is hit by bots now and then, so requests are throttled per client.
 *
 * Runs as 2 machines on Fly (fly.toml: min_machines_running = 2).
 */
@RestController
@RequestMapping("/api/type-loans")
public class TypeLoanController {

    private static final Logger log = LoggerFactory.getLogger(TypeLoanController.class);
    private static final int MAX_REQUESTS = 10;
    private static final long WINDOW_MS = 60_000;

    private final Map<String, Deque<Long>> requestLog = new ConcurrentHashMap<>();

    @Value("${studio.db.url}") private String dbUrl;
    @Value("${studio.db.user}") private String dbUser;
    @Value("${studio.db.password}") private String dbPassword;

    @PostMapping
    public ResponseEntity<?> borrow(@RequestBody LoanRequest req, HttpServletRequest http) {
        String client = http.getHeader("X-Forwarded-For");
        if (client == null) {
            client = http.getRemoteAddr();
        }
        if (!allow(client.split(",")[0].trim())) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("Slow down a little");
        }

        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            conn.setAutoCommit(false);
            try (PreparedStatement claim = conn.prepareStatement(
                    "UPDATE type_cases SET on_loan_to = ?, due_back = current_date + 7 WHERE id = ? AND on_loan_to IS NULL");
                 PreparedStatement record = conn.prepareStatement(
                    "INSERT INTO type_loans (case_id, member_id, loaned_at) VALUES (?, ?, now())")) {
                claim.setLong(1, req.memberId());
                claim.setLong(2, req.caseId());
                if (claim.executeUpdate() == 0) {
                    conn.rollback();
                    return ResponseEntity.status(HttpStatus.CONFLICT).body("That case is already out");
                }
                record.setLong(1, req.caseId());
                record.setLong(2, req.memberId());
                record.executeUpdate();
                conn.commit();
            } catch (SQLException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            log.error("loan of case {} to member {} failed", req.caseId(), req.memberId(), e);
            return ResponseEntity.internalServerError().build();
        }
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    private boolean allow(String key) {
        long now = System.currentTimeMillis();
        Deque<Long> hits = requestLog.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (hits) {
            while (!hits.isEmpty() && now - hits.peekFirst() > WINDOW_MS) {
                hits.pollFirst();
            }
            if (hits.size() >= MAX_REQUESTS) {
                return false;
            }
            hits.addLast(now);
            return true;
        }
    }

    public record LoanRequest(long caseId, long memberId) {}
}
