package com.example.inventory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

public class InventoryClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public String reserve(String sku, int qty) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://inventory.internal/reserve?sku=" + sku + "&qty=" + qty))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() < 500) {
                    return res.body();
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw last != null ? last : new IOException("inventory unavailable");
    }

    public String release(String sku, int qty) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://inventory.internal/release?sku=" + sku + "&qty=" + qty))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        long backoff = 200;
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() < 500) {
                    return res.body();
                }
            } catch (IOException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
            if (attempt >= 5) {
                throw new IOException("inventory unavailable");
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(backoff));
            backoff = Math.min(backoff * 2, 8000);
        }
    }
}
