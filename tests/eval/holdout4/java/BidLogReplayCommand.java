package com.adcrate.tools.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Offline tool: replays a day of captured bid requests (JSONL) against an exchange
 * sandbox and prints win-rate per placement. Run by hand from a laptop or the ops box:
 *
 *   java -jar bid-replay.jar --file bids-2024-05-01.jsonl --endpoint https://sandbox.exchange.example/openrtb2
 */
@Command(name = "bid-replay", mixinStandardHelpOptions = true)
public class BidLogReplayCommand implements Callable<Integer> {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final int MAX_ATTEMPTS = 5;
    private static final long BASE_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 5_000;

    @Option(names = "--file", required = true) Path file;
    @Option(names = "--endpoint", required = true) String endpoint;

    private final ObjectMapper mapper = new ObjectMapper();
    private final OkHttpClient http = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(5))
            .callTimeout(Duration.ofSeconds(8))
            .build();

    // placement id -> {sent, won}; lives for one run of the tool only
    private final Map<String, long[]> stats = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                String placement = mapper.readTree(line).path("imp").path(0).path("tagid").asText("unknown");
                boolean won = send(line);
                long[] s = stats.computeIfAbsent(placement, k -> new long[2]);
                s[0]++;
                if (won) s[1]++;
            }
        }
        stats.forEach((placement, s) ->
                System.out.printf("%-40s sent=%8d won=%8d rate=%.2f%%%n", placement, s[0], s[1], 100.0 * s[1] / s[0]));
        return 0;
    }

    private boolean send(String bidRequestJson) throws IOException, InterruptedException {
        Request req = new Request.Builder().url(endpoint).post(RequestBody.create(bidRequestJson, JSON)).build();
        IOException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try (Response resp = http.newCall(req).execute()) {
                if (resp.code() == 200) return true;   // bid response
                if (resp.code() == 204) return false;  // no bid
                if (resp.code() != 429 && resp.code() < 500) {
                    throw new IllegalStateException("sandbox rejected request: HTTP " + resp.code());
                }
                last = new IOException("HTTP " + resp.code());
            } catch (IOException e) {
                last = e;
            }
            // exponential backoff with full jitter, capped
            long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << (attempt - 1));
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        }
        throw last;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BidLogReplayCommand()).execute(args));
    }
}
