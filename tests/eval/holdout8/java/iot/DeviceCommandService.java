package net.homeloop.hub.commands;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

/**
 * Sends commands (lock/unlock, thermostat set-point, light scenes) to a customer's home hub.
 *
 * Flow: the mobile app POSTs a command, gets a commandId back immediately and polls
 * GET /commands/{id} until the hub acknowledges. Runs on Kubernetes (hub-api, replicas: 3).
 */
@Service
public class DeviceCommandService {

    private static final Logger log = LoggerFactory.getLogger(DeviceCommandService.class);

    // Track in-flight commands so the app can poll for the result
    private final Map<String, CommandStatus> commandStatus = new ConcurrentHashMap<>();

    // Used for the vendor cloud (Zigbee bridge vendor) device-metadata API
    private final RestTemplate vendorApi = new RestTemplate();

    private final HubRegistry hubs;

    public DeviceCommandService(HubRegistry hubs) {
        this.hubs = hubs;
    }

    public String submit(String homeId, DeviceCommand cmd) {
        String commandId = UUID.randomUUID().toString();
        commandStatus.put(commandId, new CommandStatus("PENDING", Instant.now(), null));
        dispatch(commandId, homeId, cmd);
        return commandId;
    }

    public CommandStatus status(String commandId) {
        return commandStatus.getOrDefault(commandId, new CommandStatus("UNKNOWN", null, null));
    }

    @Async
    public void dispatch(String commandId, String homeId, DeviceCommand cmd) {
        try {
            String body = sendToHub(hubs.tunnelUrl(homeId), cmd);
            commandStatus.put(commandId, new CommandStatus("DONE", Instant.now(), body));
        } catch (Exception e) {
            log.error("command {} to home {} failed", commandId, homeId, e);
            commandStatus.put(commandId, new CommandStatus("FAILED", Instant.now(), e.getMessage()));
        }
    }

    private String sendToHub(String tunnelUrl, DeviceCommand cmd) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(tunnelUrl + "/v1/commands"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(cmd.toJson()))
                .build();
        HttpResponse<String> resp = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() >= 300) {
            throw new IllegalStateException("hub returned " + resp.statusCode());
        }
        return resp.body();
    }

    public DeviceMetadata metadata(String vendorDeviceId) {
        return vendorApi.getForObject("https://api.zigvendor.io/v2/devices/{id}", DeviceMetadata.class, vendorDeviceId);
    }
}

@RestController
@RequestMapping("/homes/{homeId}/commands")
class DeviceCommandController {

    private final DeviceCommandService service;

    DeviceCommandController(DeviceCommandService service) {
        this.service = service;
    }

    @PostMapping
    public ResponseEntity<Map<String, String>> send(@PathVariable String homeId, @RequestBody DeviceCommand cmd) {
        String id = service.submit(homeId, cmd);
        return ResponseEntity.accepted().body(Map.of("commandId", id));
    }

    @GetMapping("/{commandId}")
    public CommandStatus poll(@PathVariable String commandId) {
        return service.status(commandId);
    }
}

record CommandStatus(String state, Instant updatedAt, String detail) {}
