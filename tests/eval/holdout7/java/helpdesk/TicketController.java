package com.deskflow.api.tickets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.deskflow.api.agents.Agent;
import com.deskflow.api.agents.AgentRepository;
import com.deskflow.api.security.AgentPrincipal;
import lombok.RequiredArgsConstructor;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/*
 * Ticket endpoints for the agent inbox.
 * Deployment: deskflow-api, 4 pods behind nginx ingress (proxy-read-timeout 30s).
 * All ticket data is scoped by workspace_id (one workspace per customer company).
 */
@RestController
@RequestMapping("/api/v1/tickets")
@RequiredArgsConstructor
public class TicketController {

    private final TicketRepository ticketRepository;
    private final AgentRepository agentRepository;
    private final JdbcTemplate jdbcTemplate;
    private final StringRedisTemplate redis;
    private final ObjectMapper objectMapper;

    // inbox list, filtered by status (OPEN / PENDING / SOLVED / CLOSED)
    @GetMapping
    public List<TicketDto> list(@AuthenticationPrincipal AgentPrincipal me,
                                @RequestParam(defaultValue = "OPEN") TicketStatus status) {
        List<Ticket> tickets = ticketRepository
                .findByWorkspaceIdAndStatusOrderByUpdatedAtDesc(me.workspaceId(), status);

        List<TicketDto> out = new ArrayList<>(tickets.size());
        for (Ticket t : tickets) {
            Agent assignee = t.getAssigneeId() == null
                    ? null
                    : agentRepository.findById(t.getAssigneeId()).orElse(null);
            out.add(TicketDto.from(t, assignee));
        }
        return out;
    }

    @GetMapping("/{id}")
    public TicketDto get(@AuthenticationPrincipal AgentPrincipal me, @PathVariable long id) {
        Ticket t = ticketRepository.findByIdAndWorkspaceId(id, me.workspaceId())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        Agent assignee = t.getAssigneeId() == null ? null : agentRepository.findById(t.getAssigneeId()).orElse(null);
        return TicketDto.from(t, assignee);
    }

    // header widget on the inbox; every open agent tab polls this every 15s
    @GetMapping("/stats")
    public WorkspaceStats stats(@AuthenticationPrincipal AgentPrincipal me) throws JsonProcessingException {
        String key = "ticket-stats:" + me.workspaceId();
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return objectMapper.readValue(cached, WorkspaceStats.class);
        }

        // ~3-5s for the big workspaces (tickets is ~80M rows)
        WorkspaceStats stats = jdbcTemplate.queryForObject("""
                SELECT count(*) FILTER (WHERE status = 'OPEN')                     AS open_count,
                       count(*) FILTER (WHERE status = 'PENDING')                  AS pending_count,
                       count(*) FILTER (WHERE sla_due_at < now() AND status = 'OPEN') AS breached_count,
                       percentile_cont(0.5) WITHIN GROUP (
                           ORDER BY extract(epoch FROM first_response_at - created_at)) AS median_first_response_s
                FROM tickets
                WHERE workspace_id = ?
                  AND created_at > now() - interval '90 days'
                """,
                (rs, i) -> new WorkspaceStats(
                        rs.getLong("open_count"),
                        rs.getLong("pending_count"),
                        rs.getLong("breached_count"),
                        rs.getDouble("median_first_response_s")),
                me.workspaceId());

        redis.opsForValue().set(key, objectMapper.writeValueAsString(stats), Duration.ofSeconds(60));
        return stats;
    }

    @PatchMapping("/{id}/assignee")
    public void assign(@AuthenticationPrincipal AgentPrincipal me, @PathVariable long id,
                       @RequestBody AssignRequest req) {
        int n = jdbcTemplate.update(
                "UPDATE tickets SET assignee_id = ?, updated_at = now() WHERE id = ? AND workspace_id = ? " +
                "AND EXISTS (SELECT 1 FROM agents a WHERE a.id = ? AND a.workspace_id = tickets.workspace_id)",
                req.agentId(), id, me.workspaceId(), req.agentId());
        if (n == 0) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
    }
}
