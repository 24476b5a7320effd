// registration module (controller + service + repos pasted together for review)
package org.riverbendysl.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.*;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

@Entity
@Table(name = "registrations")
class Registration {
    @Id @GeneratedValue(strategy = GenerationType.IDENTITY) Long id;
    Long teamId;
    Long playerId;
    String season;
    Instant createdAt = Instant.now();
}

@Repository
interface RegistrationRepository extends JpaRepository<Registration, Long> {
    long countByTeamIdAndSeason(Long teamId, String season);
    List<Registration> findBySeasonOrderByTeamId(String season);
}

@Repository
interface TeamRepository extends JpaRepository<Team, Long> {}

@Repository
interface PlayerRepository extends JpaRepository<Player, Long> {}

@Repository
interface GuardianRepository extends JpaRepository<Guardian, Long> {
    List<Guardian> findByPlayerId(Long playerId);
}

record RosterLine(Long teamId, String playerName, String birthYear, List<String> guardianPhones) {}

@Service
class RegistrationService {

    private final RegistrationRepository registrations;
    private final TeamRepository teams;
    private final PlayerRepository players;
    private final GuardianRepository guardians;
    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper mapper;

    RegistrationService(RegistrationRepository registrations, TeamRepository teams, PlayerRepository players,
                        GuardianRepository guardians, JdbcTemplate jdbc, StringRedisTemplate redis,
                        ObjectMapper mapper) {
        this.registrations = registrations;
        this.teams = teams;
        this.players = players;
        this.guardians = guardians;
        this.jdbc = jdbc;
        this.redis = redis;
        this.mapper = mapper;
    }

    @Transactional
    public Registration register(Long teamId, Long playerId, String season) {
        Team team = teams.findById(teamId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        long signedUp = registrations.countByTeamIdAndSeason(teamId, season);
        if (signedUp >= team.getRosterLimit()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Team is full, join the waitlist");
        }
        Registration r = new Registration();
        r.teamId = teamId;
        r.playerId = playerId;
        r.season = season;
        return registrations.save(r);
    }

    /** Full league roster for the registrar's spreadsheet (~1,800 kids per season). */
    public List<RosterLine> seasonRoster(String season) {
        return registrations.findBySeasonOrderByTeamId(season).stream()
                .map(this::toRosterLine)
                .toList();
    }

    private RosterLine toRosterLine(Registration r) {
        Player p = players.findById(r.playerId).orElseThrow();
        List<String> phones = guardians.findByPlayerId(r.playerId).stream()
                .map(Guardian::getPhone)
                .toList();
        return new RosterLine(r.teamId, p.getFullName(), String.valueOf(p.getBirthYear()), phones);
    }

    // standings page gets hammered by parents on Saturday mornings
    public String standingsJson(String season) throws JsonProcessingException {
        String key = "standings:" + season;
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return cached;
        }
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT t.id, t.name, t.division,
                       COUNT(*) FILTER (WHERE m.winner_id = t.id)  AS wins,
                       COUNT(*) FILTER (WHERE m.winner_id IS NULL) AS draws,
                       SUM(CASE WHEN m.home_id = t.id THEN m.home_goals ELSE m.away_goals END) AS goals_for
                FROM teams t
                JOIN matches m ON m.home_id = t.id OR m.away_id = t.id
                WHERE m.season = ? AND m.status = 'FINAL'
                GROUP BY t.id, t.name, t.division
                ORDER BY t.division, wins DESC, goals_for DESC
                """, season);
        String json = mapper.writeValueAsString(rows);
        redis.opsForValue().set(key, json, Duration.ofMinutes(5));
        return json;
    }
}

@RestController
@RequestMapping("/api/seasons/{season}")
class RegistrationController {
    private final RegistrationService service;

    RegistrationController(RegistrationService service) { this.service = service; }

    @PostMapping("/teams/{teamId}/registrations")
    Registration register(@PathVariable String season, @PathVariable Long teamId, @RequestParam Long playerId) {
        return service.register(teamId, playerId, season);
    }

    @GetMapping("/roster")
    List<RosterLine> roster(@PathVariable String season) {
        return service.seasonRoster(season);
    }

    @GetMapping(value = "/standings", produces = "application/json")
    String standings(@PathVariable String season) throws JsonProcessingException {
        return service.standingsJson(season);
    }
}
