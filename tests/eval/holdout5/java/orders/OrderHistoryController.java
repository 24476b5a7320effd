package io.merchantdesk.orders.web;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.Valid;
import lombok.RequiredArgsConstructor;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import io.merchantdesk.orders.domain.*;
import io.merchantdesk.orders.dto.*;
import io.merchantdesk.orders.export.OrderExportWorker;
import io.merchantdesk.security.StaffUser;

/**
 * Order history for merchant staff (multi-tenant: every row carries tenant_id).
 * Runs on 4 pods; export job state lives in Postgres, quotas in Redis.
 */
@RestController
@RequestMapping("/api/orders")
@RequiredArgsConstructor
public class OrderHistoryController {

    private static final int MAX_PAGE_SIZE = 100;
    private static final int DAILY_EXPORT_QUOTA = 20;

    private final OrderRepository orders;
    private final OrderLineRepository lines;
    private final ExportJobRepository exportJobs;
    private final OrderExportWorker exportWorker;
    private final StringRedisTemplate redis;

    @GetMapping
    public Page<OrderSummaryDto> list(@AuthenticationPrincipal StaffUser user,
                                      @RequestParam(defaultValue = "0") int page,
                                      @RequestParam(defaultValue = "25") int size) {
        Pageable pageable = PageRequest.of(page, Math.min(size, MAX_PAGE_SIZE), Sort.by(Sort.Direction.DESC, "placedAt"));
        Page<Order> result = orders.findByTenantId(user.tenantId(), pageable);

        // all lines for this page in a single IN (...) query
        List<UUID> ids = result.map(Order::getId).getContent();
        Map<UUID, List<OrderLine>> linesByOrder = lines.findByTenantIdAndOrderIdIn(user.tenantId(), ids)
                .stream()
                .collect(Collectors.groupingBy(OrderLine::getOrderId));

        return result.map(o -> OrderSummaryDto.of(o, linesByOrder.getOrDefault(o.getId(), List.of())));
    }

    @GetMapping("/{orderId}")
    public OrderDetailDto get(@AuthenticationPrincipal StaffUser user, @PathVariable UUID orderId) {
        Order order = orders.findByIdAndTenantId(orderId, user.tenantId())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        return OrderDetailDto.from(order, lines.findByTenantIdAndOrderIdIn(user.tenantId(), List.of(orderId)));
    }

    /** CSV export of a date range. Runs in the background; the client polls the job URL. */
    @PostMapping("/exports")
    public ResponseEntity<ExportJobDto> startExport(@AuthenticationPrincipal StaffUser user,
                                                    @RequestBody @Valid ExportRequest req) {
        String quotaKey = "export-quota:" + user.tenantId() + ":" + LocalDate.now(ZoneOffset.UTC);
        Long used = redis.opsForValue().increment(quotaKey);
        if (used != null && used == 1L) {
            redis.expire(quotaKey, Duration.ofDays(1));
        }
        if (used != null && used > DAILY_EXPORT_QUOTA) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).build();
        }

        ExportJob job = exportJobs.save(ExportJob.queued(user.tenantId(), user.id(), req.from(), req.to()));
        exportWorker.run(job.getId()); // @Async: streams rows to S3, updates export_jobs.status
        return ResponseEntity.accepted()
                .location(URI.create("/api/orders/exports/" + job.getId()))
                .body(ExportJobDto.from(job));
    }

    @GetMapping("/exports/{jobId}")
    public ExportJobDto exportStatus(@AuthenticationPrincipal StaffUser user, @PathVariable UUID jobId) {
        return exportJobs.findByIdAndTenantId(jobId, user.tenantId())
                .map(ExportJobDto::from)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }
}
