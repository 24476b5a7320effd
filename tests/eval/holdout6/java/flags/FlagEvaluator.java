package dev.toggly.server.eval;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import lombok.extern.slf4j.Slf4j;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import dev.toggly.server.model.EvaluationContext;
import dev.toggly.server.model.FlagDefinition;
import dev.toggly.server.model.Variant;
import dev.toggly.server.repo.FlagDefinitionRepository;

/**
 * Evaluates feature flags for SDK requests.
 *
 * Flag definitions are small (a few hundred per environment) and are loaded into an immutable
 * snapshot at start-up, then swapped wholesale every 30 s from the database, so every replica
 * converges on the same definitions without a shared cache.
 *
 * Evaluation results depend on the user's attributes and rollout bucket, so they are cached per
 * (environment, flag, user) in a bounded Caffeine cache.
 */
@Slf4j
@Service
public class FlagEvaluator {

    private final FlagDefinitionRepository definitions;
    private final RolloutEngine engine;

    private volatile Map<String, FlagDefinition> snapshot = Map.of();

    private final Cache<String, Variant> evaluations = Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterWrite(Duration.ofSeconds(60))
            .recordStats()
            .build();

    public FlagEvaluator(FlagDefinitionRepository definitions, RolloutEngine engine) {
        this.definitions = definitions;
        this.engine = engine;
    }

    @PostConstruct
    void loadOnStartup() {
        reload();
    }

    @Scheduled(fixedDelayString = "PT30S")
    void reload() {
        try {
            List<FlagDefinition> all = definitions.findAllActive();
            snapshot = all.stream().collect(Collectors.toUnmodifiableMap(f -> f.environmentId() + "/" + f.key(), Function.identity()));
            evaluations.invalidateAll();
        } catch (RuntimeException e) {
            // keep serving the previous snapshot, but make noise
            log.error("flag definition reload failed; serving snapshot with {} flags", snapshot.size(), e);
            throw e;
        }
    }

    public Variant evaluate(String environmentId, String flagKey, EvaluationContext ctx) {
        FlagDefinition def = snapshot.get(environmentId + "/" + flagKey);
        if (def == null) {
            return Variant.off();
        }
        String cacheKey = environmentId + ":" + flagKey + ":" + ctx.userKey();
        return evaluations.get(cacheKey, k -> engine.evaluate(def, ctx));
    }
}
