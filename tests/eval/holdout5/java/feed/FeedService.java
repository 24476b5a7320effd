package com.chirp.feed.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import lombok.RequiredArgsConstructor;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.chirp.feed.domain.*;
import com.chirp.feed.dto.FeedItemDto;
import com.chirp.feed.dto.TrendingPostDto;
import com.chirp.feed.dto.UserSummaryDto;

@Service
@RequiredArgsConstructor
public class FeedService {

    private static final String TRENDING_KEY = "feed:trending:v2";
    private static final Duration TRENDING_TTL = Duration.ofSeconds(60);
    private static final int PAGE_SIZE = 20;

    private final PostRepository posts;
    private final UserRepository users;
    private final FollowRepository follows;
    private final StringRedisTemplate redis;
    private final ObjectMapper json;

    /** Home timeline: latest posts from accounts the viewer follows. */
    @Transactional(readOnly = true)
    public List<FeedItemDto> homeFeed(long viewerId, int page) {
        List<Long> followed = follows.findFolloweeIds(viewerId);
        Page<Post> recent = posts.findByAuthorIdInOrderByCreatedAtDesc(followed, PageRequest.of(page, PAGE_SIZE));

        List<FeedItemDto> items = new ArrayList<>(recent.getNumberOfElements());
        for (Post post : recent) {
            User author = users.findById(post.getAuthorId()).orElseThrow();
            items.add(FeedItemDto.of(post, author, post.getLikeCount(), post.getReplyCount()));
        }
        return items;
    }

    /** Trending strip shown at the top of the explore tab (every app open). */
    public List<TrendingPostDto> trending() {
        String cached = redis.opsForValue().get(TRENDING_KEY);
        if (cached != null) {
            return read(cached);
        }
        // scores every post of the last 24h by likes, replies and recency
        List<TrendingPostDto> fresh = posts.computeTrending(Instant.now().minus(Duration.ofHours(24)), 50);
        redis.opsForValue().set(TRENDING_KEY, write(fresh), TRENDING_TTL);
        return fresh;
    }

    /** Used by GET /api/users/{id}/followers */
    @Transactional(readOnly = true)
    public List<UserSummaryDto> followers(long userId) {
        return follows.findFollowerSummaries(userId);
    }

    /** Used by GET /api/users/{id}/following (50 per page). */
    @Transactional(readOnly = true)
    public List<UserSummaryDto> following(long userId, int page) {
        return follows.findFolloweeSummaries(userId, PageRequest.of(page, 50));
    }

    private List<TrendingPostDto> read(String raw) {
        try {
            return json.readValue(raw, new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt trending cache entry", e);
        }
    }

    private String write(List<TrendingPostDto> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
