package net.allotments.water;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Shared rain-water butts on the allotment sites.
 *
 * Plot-holders on the same site draw from the butts they share, and can hand part
 * of their weekly allowance to a neighbour (e.g. while they are on holiday).
 * The site app is deployed as two instances behind the council load balancer.
 */
@Service
public class WaterButtShareService {

    private static final Logger log = LoggerFactory.getLogger(WaterButtShareService.class);

    @Value("${allotments.db.url}")
    private String dbUrl;
    @Value("${allotments.db.user}")
    private String dbUser;
    @Value("${allotments.db.password}")
    private String dbPassword;

    /** Allowance hand-overs waiting for the neighbour to accept, keyed by offer code. */
    private final Map<String, AllowanceOffer> pendingOffers = new ConcurrentHashMap<>();

    public record AllowanceOffer(long fromPlotId, long toPlotId, int litres) {}

    /**
     * Called by POST /butts/{buttId}/draws. Returns the litres actually drawn,
     * which can be less than requested when the butt is nearly empty.
     */
    public int draw(long buttId, long plotId, int requestedLitres) throws SQLException {
        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            conn.setAutoCommit(false);

            int available;
            try (PreparedStatement ps = conn.prepareStatement("SELECT litres_available FROM water_butts WHERE id = ?")) {
                ps.setLong(1, buttId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no such butt " + buttId);
                    }
                    available = rs.getInt(1);
                }
            }

            int drawn = Math.min(available, requestedLitres);
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE water_butts SET litres_available = ?, updated_at = now() WHERE id = ?")) {
                ps.setInt(1, available - drawn);
                ps.setLong(2, buttId);
                ps.executeUpdate();
            }

            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO water_draws (butt_id, plot_id, litres, drawn_at) VALUES (?, ?, ?, now())")) {
                ps.setLong(1, buttId);
                ps.setLong(2, plotId);
                ps.setInt(3, drawn);
                ps.executeUpdate();
            }

            conn.commit();
            log.info("plot {} drew {} l from butt {}", plotId, drawn, buttId);
            return drawn;
        }
    }

    public String offerAllowance(long fromPlotId, long toPlotId, int litres) {
        if (litres <= 0) {
            throw new IllegalArgumentException("litres must be positive");
        }
        String code = UUID.randomUUID().toString().substring(0, 8);
        pendingOffers.put(code, new AllowanceOffer(fromPlotId, toPlotId, litres));
        return code;
    }

    public AllowanceOffer acceptOffer(String code, long acceptingPlotId) {
        AllowanceOffer offer = pendingOffers.get(code);
        if (offer == null || offer.toPlotId() != acceptingPlotId) {
            throw new IllegalStateException("offer not found");
        }
        if (!pendingOffers.remove(code, offer)) {
            throw new IllegalStateException("offer already accepted");
        }
        return offer;
    }

    public void declineOffer(String code) {
        pendingOffers.remove(code);
    }
}
