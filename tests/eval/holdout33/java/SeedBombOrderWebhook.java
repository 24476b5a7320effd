package shop.meadowmakers.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * Receives "order.paid" notifications from the storefront for wildflower seed bomb packs
 * (one native mix, sold in packs of 6, 12 or 24) and books a courier collection.
 */
@RestController
@RequestMapping("/hooks/storefront")
public class SeedBombOrderWebhook {

    record OrderPaid(String eventId, String orderRef, String sku, int packs,
                     String customerName, String postcode, String addressLine) {}

    private final SeedMixRepository mixes;
    private final PackOrderRepository orders;
    private final ObjectMapper json;
    private final byte[] signingKey;
    private final String courierBaseUrl;

    public SeedBombOrderWebhook(SeedMixRepository mixes, PackOrderRepository orders, ObjectMapper json,
                                @Value("${storefront.webhook-secret}") String secret,
                                @Value("${courier.base-url}") String courierBaseUrl) {
        this.mixes = mixes;
        this.orders = orders;
        this.json = json;
        this.signingKey = secret.getBytes(StandardCharsets.UTF_8);
        this.courierBaseUrl = courierBaseUrl;
    }

    @PostMapping("/order-paid")
    @Transactional
    public ResponseEntity<Void> orderPaid(@RequestHeader("X-Storefront-Signature") String signature,
                                          @RequestBody String rawBody) throws Exception {
        verify(signature, rawBody);
        OrderPaid evt = json.readValue(rawBody, OrderPaid.class);

        SeedMix mix = mixes.findBySku(evt.sku())
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "unknown sku"));
        int packsPerCase = mix.getPacksPerCase();
        mix.setPacksInStock(mix.getPacksInStock() - evt.packs());
        mixes.save(mix);

        PackOrder order = orders.save(new PackOrder(evt.orderRef(), evt.sku(), evt.packs(),
            evt.customerName(), evt.postcode(), evt.addressLine()));

        // ask the courier for a collection from the potting shed
        HttpClient courier = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .build();
        String parcel = json.writeValueAsString(new CourierParcel(order.getId(), evt.postcode(),
            evt.addressLine(), evt.packs() > packsPerCase ? "MEDIUM" : "SMALL"));
        HttpRequest req = HttpRequest.newBuilder(URI.create(courierBaseUrl + "/v2/collections"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(parcel))
            .build();
        HttpResponse<String> resp = courier.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() >= 300) {
            throw new ResponseStatusException(HttpStatus.BAD_GATEWAY,
                "courier returned " + resp.statusCode() + " for order " + evt.orderRef());
        }
        order.setCollectionRef(json.readTree(resp.body()).path("collection_id").asText());
        orders.save(order);
        return ResponseEntity.ok().build();
    }

    private void verify(String signature, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
        byte[] expected = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        byte[] given = HexFormat.of().parseHex(signature);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "bad signature");
        }
    }
}
