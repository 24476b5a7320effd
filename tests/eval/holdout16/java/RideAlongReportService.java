package gov.civicride.reports;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.netty.http.client.HttpClient;

/**
 * Civilian ride-along reports. Each participating agency only sees its own reports
 * (agency_id on ride_along_reports and participants). Incident codes are the national
 * NIBRS table, shared by every agency and loaded by a migration.
 */
@Service
public class RideAlongReportService {

    private static final Logger log = LoggerFactory.getLogger(RideAlongReportService.class);

    private final RideAlongReportRepository reports;
    private final ParticipantRepository participants;
    private final IncidentCodeRepository incidentCodes;
    private final WebClient rms;

    public RideAlongReportService(RideAlongReportRepository reports,
                                  ParticipantRepository participants,
                                  IncidentCodeRepository incidentCodes,
                                  WebClient.Builder builder,
                                  RmsProperties props) {
        this.reports = reports;
        this.participants = participants;
        this.incidentCodes = incidentCodes;
        HttpClient netty = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3_000)
                .responseTimeout(Duration.ofSeconds(8));
        this.rms = builder
                .baseUrl(props.baseUrl())
                .clientConnector(new ReactorClientHttpConnector(netty))
                .build();
    }

    @Transactional(readOnly = true)
    public Page<ReportSummary> list(long agencyId, ReportStatus status, Pageable pageable) {
        Page<RideAlongReport> page = reports.findByAgencyIdAndStatus(agencyId, status, pageable);

        List<Long> participantIds = page.map(RideAlongReport::getParticipantId).getContent();
        Map<Long, Participant> byId = participants.findByAgencyIdAndIdIn(agencyId, participantIds).stream()
                .collect(Collectors.toMap(Participant::getId, Function.identity()));

        return page.map(r -> ReportSummary.of(r, byId.get(r.getParticipantId())));
    }

    @Transactional(readOnly = true)
    public ReportDetail get(long agencyId, long reportId) {
        RideAlongReport report = reports.findByIdAndAgencyId(reportId, agencyId)
                .orElseThrow(() -> new ReportNotFoundException(reportId));
        IncidentCode code = incidentCodes.findById(report.getIncidentCode())
                .orElse(IncidentCode.UNKNOWN);
        return ReportDetail.of(report, code);
    }

    @Transactional
    public void approve(long agencyId, long reportId, long supervisorId) {
        RideAlongReport report = reports.findByIdAndAgencyId(reportId, agencyId)
                .orElseThrow(() -> new ReportNotFoundException(reportId));
        report.approve(supervisorId);

        try {
            rms.post()
                    .uri("/agencies/{agency}/narratives", agencyId)
                    .bodyValue(RmsNarrative.from(report))
                    .retrieve()
                    .toBodilessEntity()
                    .block();
        } catch (WebClientResponseException e) {
            log.error("RMS rejected narrative for report {} (agency {}): {} {}",
                    reportId, agencyId, e.getStatusCode(), e.getResponseBodyAsString());
            throw new RmsSyncException("RMS sync failed for report " + reportId, e);
        }
    }
}
