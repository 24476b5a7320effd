package com.inkletter.api;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import com.inkletter.domain.*;

/**
 * Public subscribe endpoint used by the embeddable signup forms, plus the list
 * view in the creator dashboard.
 *
 * Deployment: api runs on 4 pods (k8s HPA min 4), behind the GCP HTTPS LB.
 */
@RestController
@RequestMapping("/api")
public class SubscribeController {

    private static final int MAX_SIGNUPS_PER_MINUTE = 5;

    // ip -> timestamps of recent signups (sliding window)
    private final Map<String, Deque<Long>> recentSignups = new ConcurrentHashMap<>();

    private final SubscriberRepository subscribers;
    private final MailingListRepository lists;
    private final ConfirmationMailer mailer;

    public SubscribeController(SubscriberRepository subscribers, MailingListRepository lists,
                               ConfirmationMailer mailer) {
        this.subscribers = subscribers;
        this.lists = lists;
        this.mailer = mailer;
    }

    @PostMapping("/lists/{publicId}/subscribe")
    public ResponseEntity<?> subscribe(@PathVariable String publicId,
                                       @Valid @RequestBody SubscribeForm form,
                                       HttpServletRequest request) {
        String ip = request.getHeader("X-Forwarded-For");
        if (ip == null) {
            ip = request.getRemoteAddr();
        }
        if (!allow(ip)) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).build();
        }

        MailingList list = lists.findByPublicId(publicId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        String email = form.email().trim().toLowerCase();
        // INSERT ... ON CONFLICT (list_id, email) DO NOTHING -- returns 1 only for a new signup
        if (subscribers.insertPendingIfAbsent(list.getId(), email) == 1) {
            mailer.sendConfirmation(list.getId(), email);
        }
        return ResponseEntity.accepted().body(Map.of("status", "check_your_inbox"));
    }

    @GetMapping("/dashboard/lists/{listId}/subscribers")
    public List<SubscriberView> listSubscribers(@PathVariable long listId,
                                                @AuthenticationPrincipal Creator creator) {
        MailingList list = lists.findByIdAndCreatorId(listId, creator.getId())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        // bigger creators have 300k+ subscribers on a list
        return subscribers.findAllByListIdOrderByCreatedAtDesc(list.getId())
                .stream().map(SubscriberView::from).toList();
    }

    private boolean allow(String ip) {
        long now = System.currentTimeMillis();
        Deque<Long> q = recentSignups.computeIfAbsent(ip, k -> new ArrayDeque<>());
        synchronized (q) {
            while (!q.isEmpty() && now - q.peekFirst() > 60_000) {
                q.pollFirst();
            }
            if (q.size() >= MAX_SIGNUPS_PER_MINUTE) {
                return false;
            }
            q.addLast(now);
            return true;
        }
    }
}
