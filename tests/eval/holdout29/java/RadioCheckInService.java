package uk.fellrescue.checkin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Field parties radio base every 30 minutes; the base operator logs the call in the console,
 * which posts to /api/checkins. If a party is more than 15 minutes overdue we page the duty
 * controller by SMS.
 *
 * checkin-api is deployed as 3 pods behind the team's ingress (see deploy/checkin-api.yaml).
 */
@Service
public class RadioCheckInService {

    private static final Logger log = LoggerFactory.getLogger(RadioCheckInService.class);
    private static final Duration CHECK_IN_INTERVAL = Duration.ofMinutes(30);
    private static final Duration GRACE = Duration.ofMinutes(15);

    // callsign -> last time the party was heard on the radio
    private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();

    private final HttpClient smsClient = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build();

    private final CheckInRepository checkIns;
    private final String smsGatewayUrl;
    private final String dutyControllerNumber;

    public RadioCheckInService(CheckInRepository checkIns,
                               @Value("${sms.gateway-url}") String smsGatewayUrl,
                               @Value("${rota.duty-controller-number}") String dutyControllerNumber) {
        this.checkIns = checkIns;
        this.smsGatewayUrl = smsGatewayUrl;
        this.dutyControllerNumber = dutyControllerNumber;
    }

    public void record(String callsign, String gridRef, String operator) {
        Instant now = Instant.now();
        checkIns.save(new CheckIn(callsign, gridRef, operator, now));
        lastHeard.put(callsign, now);
    }

    public void standDown(String callsign) {
        lastHeard.remove(callsign);
        log.info("party {} stood down", callsign);
    }

    @Scheduled(fixedDelay = 60_000)
    public void pageOverdueParties() {
        Instant cutoff = Instant.now().minus(CHECK_IN_INTERVAL).minus(GRACE);
        lastHeard.forEach((callsign, heardAt) -> {
            if (heardAt.isBefore(cutoff)) {
                long minutes = Duration.between(heardAt, Instant.now()).toMinutes();
                sendSms(dutyControllerNumber,
                    "OVERDUE: " + callsign + " last heard " + minutes + " min ago");
            }
        });
    }

    private void sendSms(String to, String body) {
        String json = "{\"to\":\"" + to + "\",\"body\":\"" + body.replace("\"", "'") + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(smsGatewayUrl + "/v1/messages"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
        try {
            HttpResponse<String> resp = smsClient.send(request, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() >= 300) {
                log.error("sms gateway returned {} for {}: {}", resp.statusCode(), to, resp.body());
            }
        } catch (IOException e) {
            log.error("sms to {} failed", to, e);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while paging " + to, e);
        }
    }
}
