// build-api BuildController (helm: replicaCount: 4) -- called by our GitHub App on check_run.requested
@RestController
@RequestMapping("/builds")
public class BuildController {
    private static final Map<String, BuildState> BUILDS = new ConcurrentHashMap<>();
    @Value("${ci.db.url}") String dbUrl;
    @Autowired RunnerClient runners;

    @PostMapping("/{pipelineId}/trigger")
    public BuildState trigger(@PathVariable String pipelineId, @RequestParam String sha) throws Exception {
        String buildId = runners.submit(pipelineId, sha);
        BuildState st = new BuildState(buildId, pipelineId, sha, "QUEUED");
        BUILDS.put(buildId, st);
        // block until the runner is done so the check run gets the conclusion in one call
        while (!runners.isFinished(buildId)) {
            st.setStatus("RUNNING");
            Thread.sleep(3000);
        }
        st.setStatus(runners.conclusion(buildId));
        try (Connection c = DriverManager.getConnection(dbUrl);
             PreparedStatement ps = c.prepareStatement("INSERT INTO build_history (build_id, sha, conclusion) VALUES (?,?,?)")) {
            ps.setString(1, buildId); ps.setString(2, sha); ps.setString(3, st.getStatus());
            ps.executeUpdate();
        }
        return st;
    }

    @GetMapping("/{buildId}")
    public BuildState status(@PathVariable String buildId) {
        return Optional.ofNullable(BUILDS.get(buildId)).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND))
    }
}
