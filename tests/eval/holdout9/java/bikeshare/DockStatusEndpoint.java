// quick q: is this ok? it's hit by the map view every few seconds per open app

@GetMapping("/docks/{id}/status")
public DockStatus status(@PathVariable String id) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest req = HttpRequest.newBuilder(URI.create(dockApiBase + "/docks/" + id))
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
    return mapper.readValue(res.body(), DockStatus.class);
}
