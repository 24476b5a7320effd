package com.example.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
public class EventConsumer {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    public EventConsumer(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @KafkaListener(topics = "page-views")
    public void onPageView(String message) {
        try {
            PageView v = json.readValue(message, PageView.class);
            jdbc.update("INSERT INTO page_views (page_id, viewed_at) VALUES (?, ?)", v.pageId(), v.viewedAt());
        } catch (Exception e) {
        }
    }

    record PageView(long pageId, java.time.Instant viewedAt) {}
}
