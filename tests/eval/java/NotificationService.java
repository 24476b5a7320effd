package com.example.notifications;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

@Service
public class NotificationService {

    private static final Logger log = LoggerFactory.getLogger(NotificationService.class);
    private final JdbcTemplate jdbc;
    private final PushGateway push;

    public NotificationService(JdbcTemplate jdbc, PushGateway push) {
        this.jdbc = jdbc;
        this.push = push;
    }

    public void markRead(long userId, long notificationId) {
        try {
            jdbc.update("UPDATE notifications SET read_at = now() WHERE id = ? AND user_id = ?", notificationId, userId);
        } catch (DataAccessException e) {
            // ignore
        }
    }

    public void send(long userId, String text) {
        try {
            push.send(userId, text);
        } catch (Exception e) {
            log.warn("push to user {} failed", userId, e);
            jdbc.update("INSERT INTO notification_failures (user_id, text) VALUES (?, ?)", userId, text);
        }
    }
}
