/*
 * Good catch on the static HashMap: it never evicted anything, so heap usage kept climbing
 * until the pod was OOM-killed. Here's a drop-in replacement backed by Caffeine, with a size
 * bound and a TTL on both caches. Caffeine's get(key, loader) also makes sure only one thread
 * loads a given key at a time.
 */
package com.lingofox.catalog;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

@Service
public class CourseCatalogService {

    private final CourseRepository courses;
    private final ProgressRepository progress;

    /** Published courses per target language, shown on the "Explore" tab. */
    private final Cache<String, List<CourseSummary>> catalogCache = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .recordStats()
            .build();

    /** Streak, XP and unit completion for one learner. */
    private final Cache<Long, LearnerProgress> progressCache = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterWrite(Duration.ofMinutes(2))
            .build();

    public CourseCatalogService(CourseRepository courses, ProgressRepository progress) {
        this.courses = courses;
        this.progress = progress;
    }

    /**
     * Returns the published catalog for a language (e.g. "es", "ja").
     *
     * @param userId   the learner requesting the catalog
     * @param language ISO 639-1 code of the language being learned
     */
    public List<CourseSummary> catalog(long userId, String language) {
        String key = userId + ":" + language;
        return catalogCache.get(key, k -> courses.findPublishedByLanguage(language)
                .stream()
                .map(CourseSummary::from)
                .toList());
    }

    /** Progress really is per learner, so it is keyed by user id. */
    public LearnerProgress progressFor(long userId) {
        return progressCache.get(userId, progress::loadForUser);
    }

    /** Called after a lesson is completed so the next read reflects new XP. */
    public void evictProgress(long userId) {
        progressCache.invalidate(userId);
    }

    @EventListener
    public void onCoursePublished(CoursePublishedEvent event) {
        catalogCache.invalidateAll();
    }
}
