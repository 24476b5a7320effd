/*
 * Great question! Running the whole lottery draw inside the POST handler is why your
 * gateway returns 504 after 30 seconds: the draw shuffles ~8,000 applications and writes a ranked
 * position for every one before responding. Here's a fixed version:
 *
 *   1. POST /lotteries/{termId}/draw inserts a row into lottery_runs and returns 202 + the run id.
 *   2. LotteryDrawWorker runs the draw on a bounded @Async executor.
 *   3. Status lives in the lottery_runs table, so any of your replicas can answer GET /runs/{id}.
 *   4. A partial unique index stops two draws for the same term running at once:
 *        CREATE UNIQUE INDEX one_active_run ON lottery_runs (term_id) WHERE status IN ('QUEUED','RUNNING');
 */

// ---- LotteryController.java
@RestController
@RequestMapping("/api/housing")
public class LotteryController {

    private final JdbcTemplate jdbc;
    private final LotteryDrawWorker worker;

    public LotteryController(JdbcTemplate jdbc, LotteryDrawWorker worker) {
        this.jdbc = jdbc;
        this.worker = worker;
    }

    @PostMapping("/lotteries/{termId}/draw")
    public ResponseEntity<Map<String, Object>> startDraw(@PathVariable long termId) {
        UUID runId = UUID.randomUUID();
        int inserted = jdbc.update("""
                INSERT INTO lottery_runs (id, term_id, status, created_at)
                VALUES (?, ?, 'QUEUED', now())
                ON CONFLICT (term_id) WHERE status IN ('QUEUED','RUNNING') DO NOTHING
                """, runId, termId);
        if (inserted == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "a draw is already running"));
        }
        worker.runDraw(runId, termId);   // returns immediately, see @Async below
        return ResponseEntity.accepted()
                .location(URI.create("/api/housing/runs/" + runId))
                .body(Map.of("runId", runId, "status", "QUEUED"));
    }

    @GetMapping("/runs/{runId}")
    public Map<String, Object> runStatus(@PathVariable UUID runId) {
        return jdbc.queryForMap(
                "SELECT id, term_id, status, assigned, error, finished_at FROM lottery_runs WHERE id = ?", runId);
    }
}

// ---- LotteryDrawWorker.java
@Service
public class LotteryDrawWorker {

    private static final Logger log = LoggerFactory.getLogger(LotteryDrawWorker.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public LotteryDrawWorker(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Async("lotteryExecutor")   // ThreadPoolTaskExecutor: core 2, max 2, queue 10
    public void runDraw(UUID runId, long termId) {
        jdbc.update("UPDATE lottery_runs SET status = 'RUNNING', started_at = now() WHERE id = ?", runId);
        try {
            int assigned = tx.execute(status -> drawAndAssign(termId));
            jdbc.update("UPDATE lottery_runs SET status = 'DONE', assigned = ?, finished_at = now() WHERE id = ?",
                    assigned, runId);
        } catch (RuntimeException e) {
            log.error("lottery draw {} for term {} failed", runId, termId, e);
            jdbc.update("UPDATE lottery_runs SET status = 'FAILED', error = ?, finished_at = now() WHERE id = ?",
                    e.getMessage(), runId);
            throw e;
        }
    }

    private int drawAndAssign(long termId) {
        List<Long> applicants = jdbc.queryForList(
                "SELECT id FROM housing_applications WHERE term_id = ? AND status = 'SUBMITTED'", Long.class, termId);
        Collections.shuffle(applicants, new SecureRandom());

        List<Object[]> rows = new ArrayList<>(applicants.size());
        for (int i = 0; i < applicants.size(); i++) {
            rows.add(new Object[] { termId, applicants.get(i), i + 1 });
        }
        jdbc.batchUpdate(
                "INSERT INTO lottery_positions (term_id, application_id, position) VALUES (?, ?, ?)", rows);
        return rows.size();
    }
}
