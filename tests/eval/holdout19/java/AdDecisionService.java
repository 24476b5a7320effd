// Good catch — the original WebClient had no timeout, so a slow targeting service could
// hold a stitching thread forever. Here's the updated service with:
//   ✅ connect + response timeouts on the underlying Reactor Netty client
//   ✅ a per-call .timeout() as a safety net, falling back to house ads
//   ✅ caching so we don't hit the database on every ad request
package com.wavecast.adinsertion;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.channel.ChannelOption;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

@Service
public class AdDecisionService {

    private final CampaignRepository campaigns;
    private final AdBreakRepository adBreaks;
    private final WebClient targeting;

    /** Active campaigns, cached for 5 minutes. */
    private final Cache<String, List<Campaign>> campaignCache = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    /** Mid-roll markers per episode; they never change once an episode is published. */
    private final Map<Long, List<AdBreak>> breaksByEpisode = new ConcurrentHashMap<>();

    public AdDecisionService(CampaignRepository campaigns,
                             AdBreakRepository adBreaks,
                             WebClient.Builder builder) {
        this.campaigns = campaigns;
        this.adBreaks = adBreaks;

        HttpClient netty = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1_000)
                .responseTimeout(Duration.ofMillis(800));

        this.targeting = builder
                .baseUrl("http://targeting-svc.internal")
                .clientConnector(new ReactorClientHttpConnector(netty))
                .build();
    }

    /**
     * Picks the creatives to stitch into each mid-roll for one download.
     */
    public List<AdPlacement> decide(String listenerId, long episodeId, String geo) {
        List<AdBreak> breaks = breaksByEpisode.computeIfAbsent(episodeId, adBreaks::findByEpisodeIdOrderByOffsetMs);

        String cacheKey = "active-campaigns:" + listenerId;
        List<Campaign> active = campaignCache.get(cacheKey, k -> campaigns.findActiveCampaigns());

        Segments segments = targeting.get()
                .uri(uri -> uri.path("/segments").queryParam("listener", listenerId).queryParam("geo", geo).build())
                .retrieve()
                .bodyToMono(Segments.class)
                .timeout(Duration.ofSeconds(1))
                .onErrorReturn(Segments.EMPTY)
                .block();

        return AdPicker.fill(breaks, active, segments);
    }
}
