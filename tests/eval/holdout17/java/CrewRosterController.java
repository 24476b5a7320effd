package us.ca.countyfire.roster.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import us.ca.countyfire.roster.domain.*;
import us.ca.countyfire.roster.report.SeasonReportRenderer;

/*
 * Roster API for the county wildfire hand crews and engine companies.
 * Sits behind the county API gateway (Apigee, 30 s backend timeout); 2 instances on the county OpenShift.
 */
@RestController
@RequestMapping("/api/rosters")
public class CrewRosterController {

    private static final Logger log = LoggerFactory.getLogger(CrewRosterController.class);

    @Autowired CrewRepository crews;
    @Autowired ShiftRepository shifts;
    @Autowired SeasonReportRenderer reportRenderer;

    @Value("${dispatch.base-url}") String dispatchUrl;
    @Value("${dispatch.api-key}") String dispatchKey;

    @GetMapping("/crews")
    public Page<Crew> crews(@RequestParam(defaultValue = "0") int page) {
        return crews.findAll(PageRequest.of(page, 50, Sort.by("name")));
    }

    @GetMapping("/crews/{crewId}/shifts")
    public List<Shift> shifts(@PathVariable long crewId, @RequestParam LocalDate from, @RequestParam LocalDate to) {
        if (to.isAfter(from.plusDays(31))) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "max 31 days");
        }
        return shifts.findByCrewIdAndStartsOnBetweenOrderByStartsOn(crewId, from, to);
    }

    // season summary PDF for the battalion chiefs: every crew, every shift, hours, incidents, maps
    @GetMapping(value = "/season/{year}/report.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    public byte[] seasonReport(@PathVariable int year) {
        return reportRenderer.renderSeason(year);   // 2-4 min for a full season (~600 crews, 45k shifts, map tiles)
    }

    // push the next 14 days of a crew's availability to the state resource-ordering system
    @PostMapping("/crews/{crewId}/publish")
    public ResponseEntity<Void> publish(@PathVariable long crewId) throws Exception {
        Crew crew = crews.findById(crewId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        List<Shift> upcoming = shifts.findByCrewIdAndStartsOnBetweenOrderByStartsOn(
                crewId, LocalDate.now(), LocalDate.now().plusDays(14));
        pushToDispatch(crew, upcoming);
        return ResponseEntity.noContent().build();
    }

    private void pushToDispatch(Crew crew, List<Shift> upcoming) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(dispatchUrl + "/resources/" + crew.getResourceId() + "/availability"))
                .timeout(Duration.ofSeconds(10))
                .header("X-Api-Key", dispatchKey)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(RosterJson.availability(crew, upcoming)))
                .build();
        while (true) {
            HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() < 400) {
                return;
            }
            if (resp.statusCode() < 500) {
                log.error("dispatch rejected roster for crew {}: {} {}", crew.getId(), resp.statusCode(), resp.body());
                throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "dispatch rejected roster");
            }
            log.warn("dispatch returned {}, retrying", resp.statusCode());
            Thread.sleep(2000);
        }
    }
}
