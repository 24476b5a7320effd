package org.toollibrary.lending;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lending desk for the community tool library (one instance per library, several
 * libraries on one database). Power tools need a safety induction, which the
 * training portal records.
 */
@Service
public class ToolLibraryLendingService {

    private static final Logger log = LoggerFactory.getLogger(ToolLibraryLendingService.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final String inductionBaseUrl;

    // One client for the whole service: it keeps its connection pool between calls.
    private final HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .build();

    public ToolLibraryLendingService(JdbcTemplate jdbc, TransactionTemplate tx,
                                     @Value("${induction.base-url}") String inductionBaseUrl) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.inductionBaseUrl = inductionBaseUrl;
    }

    public record LoanResult(long loanId, boolean created) {}

    public static class ToolUnavailableException extends RuntimeException {
        public ToolUnavailableException(long toolId) { super("tool " + toolId + " is not available"); }
    }

    public static class InductionCheckFailed extends RuntimeException {
        public InductionCheckFailed(String msg, Throwable cause) { super(msg, cause); }
    }

    /**
     * Lends a tool. requestKey comes from the desk app and is reused when the
     * librarian double-clicks or the request is retried, so the loan is made once.
     */
    public LoanResult lend(long libraryId, long memberId, long toolId, String category,
                           boolean needsInduction, String requestKey) {
        if (needsInduction && !hasInduction(memberId, category)) {
            throw new ToolUnavailableException(toolId);
        }

        return tx.execute(status -> {
            Long loanId = jdbc.query(
                "INSERT INTO loans (library_id, tool_id, member_id, request_key, due_back) " +
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (library_id, request_key) DO NOTHING RETURNING id",
                rs -> rs.next() ? rs.getLong(1) : null,
                libraryId, toolId, memberId, requestKey, LocalDate.now().plusDays(7));

            if (loanId == null) {
                Long existing = jdbc.queryForObject(
                    "SELECT id FROM loans WHERE library_id = ? AND request_key = ?",
                    Long.class, libraryId, requestKey);
                return new LoanResult(existing, false);
            }

            int taken = jdbc.update(
                "UPDATE tools SET status = 'ON_LOAN', current_loan_id = ? " +
                "WHERE id = ? AND library_id = ? AND status = 'AVAILABLE'",
                loanId, toolId, libraryId);
            if (taken != 1) {
                status.setRollbackOnly();
                throw new ToolUnavailableException(toolId);
            }
            return new LoanResult(loanId, true);
        });
    }

    private boolean hasInduction(long memberId, String category) {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create(inductionBaseUrl + "/members/" + memberId + "/inductions/" + category))
            .timeout(Duration.ofSeconds(3))
            .GET()
            .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            log.error("induction check failed for member {} ({})", memberId, category, e);
            throw new InductionCheckFailed("training portal unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InductionCheckFailed("interrupted during induction check", e);
        }
    }
}
