// Beater rota confirmations for the moorland estates. Beaters reply YES/NO to the
// SMS sent the evening before a drive day; the SMS gateway posts each reply here.
// The gateway retries on any non-2xx and sometimes redelivers the same message id.

@RestController
@RequestMapping("/hooks/sms")
public class GrouseBeaterRotaWebhookController {

    private static final Logger log = LoggerFactory.getLogger(GrouseBeaterRotaWebhookController.class);

    private final JdbcTemplate jdbc;
    private final GatewaySignatureVerifier verifier;
    private final EstateDirectory estates;

    public GrouseBeaterRotaWebhookController(JdbcTemplate jdbc, GatewaySignatureVerifier verifier,
                                             EstateDirectory estates) {
        this.jdbc = jdbc;
        this.verifier = verifier;
        this.estates = estates;
    }

    public record SmsReply(String messageId, String accountId, String from, String body, long rotaSlotId) {}

    @PostMapping("/beater-reply")
    @Transactional
    public ResponseEntity<Void> beaterReply(@RequestHeader("X-Gateway-Signature") String signature,
                                            @RequestBody String rawBody) {
        if (!verifier.isValid(rawBody, signature)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        SmsReply reply = SmsReplies.parse(rawBody);
        long estateId = estates.estateForGatewayAccount(reply.accountId());

        int fresh = jdbc.update(
                "INSERT INTO processed_sms (message_id, estate_id, received_at) VALUES (?, ?, now()) " +
                "ON CONFLICT (message_id) DO NOTHING",
                reply.messageId(), estateId);
        if (fresh == 0) {
            log.debug("SMS {} already processed, acknowledging redelivery", reply.messageId());
            return ResponseEntity.ok().build();
        }

        boolean accepted = reply.body().trim().toUpperCase(Locale.ROOT).startsWith("Y");
        int updated = jdbc.update(
                "UPDATE rota_slots SET status = ?, replied_at = now() " +
                "WHERE id = ? AND estate_id = ? AND beater_phone = ? AND status = 'ASKED'",
                accepted ? "CONFIRMED" : "DECLINED", reply.rotaSlotId(), estateId, reply.from());

        if (updated == 1 && accepted) {
            jdbc.update(
                    "UPDATE drive_days SET beaters_confirmed = beaters_confirmed + 1 " +
                    "WHERE id = (SELECT drive_day_id FROM rota_slots WHERE id = ? AND estate_id = ?) AND estate_id = ?",
                    reply.rotaSlotId(), estateId, estateId);
        } else if (updated == 0) {
            log.info("Reply {} did not match an open rota slot (slot {}, estate {})",
                    reply.messageId(), reply.rotaSlotId(), estateId);
        }
        return ResponseEntity.ok().build();
    }
}
