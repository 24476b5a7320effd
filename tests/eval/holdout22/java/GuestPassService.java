// Film society: members may bring guests to a screening, up to the screening's guest allowance.
// A pass is held for 48 hours until the member confirms it at the desk or online.

@Service
public class GuestPassService {

    private static final Logger log = LoggerFactory.getLogger(GuestPassService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;
    private final JavaMailSender mail;

    public GuestPassService(JdbcTemplate jdbc, JavaMailSender mail) {
        this.jdbc = jdbc;
        this.mail = mail;
    }

    @Transactional
    public GuestPass hold(long societyId, long screeningId, long memberId, String guestName) {
        Screening screening = jdbc.queryForObject(
                "SELECT id, title, starts_at, guest_allowance FROM screenings WHERE id = ? AND society_id = ?",
                Screening.MAPPER, screeningId, societyId);

        int held = jdbc.queryForObject(
                "SELECT COUNT(*) FROM guest_passes WHERE screening_id = ? AND society_id = ? AND (confirmed OR expires_at > now())",
                Integer.class, screeningId, societyId);
        if (held >= screening.guestAllowance()) {
            throw new GuestAllowanceReachedException(screening.title());
        }

        String code = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36).substring(0, 8).toUpperCase();
        jdbc.update(
                "INSERT INTO guest_passes (society_id, screening_id, member_id, guest_name, code, confirmed, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, false, now() + interval '48 hours')",
                societyId, screeningId, memberId, guestName, code);
        log.info("guest pass {} held for screening {} by member {}", code, screeningId, memberId);

        try {
            mail.send(confirmationMessage(societyId, memberId, screening, guestName, code));
        } catch (MailException e) {
            // the pass is still visible on the member's account page
        }
        return new GuestPass(code, screening.title(), guestName, false);
    }

    @Transactional
    public GuestPass confirm(long societyId, String code) {
        int updated = jdbc.update(
                "UPDATE guest_passes SET confirmed = true WHERE society_id = ? AND code = ? AND NOT confirmed AND expires_at > now()",
                societyId, code);
        if (updated == 0) {
            throw new PassNotFoundOrExpiredException(code);
        }
        return jdbc.queryForObject("""
                SELECT p.code, s.title, p.guest_name, p.confirmed
                FROM guest_passes p JOIN screenings s ON s.id = p.screening_id
                WHERE p.society_id = ? AND p.code = ?
                """, GuestPass.MAPPER, societyId, code);
    }

    private SimpleMailMessage confirmationMessage(long societyId, long memberId, Screening s, String guest, String code) {
        String to = jdbc.queryForObject("SELECT email FROM members WHERE id = ? AND society_id = ?",
                String.class, memberId, societyId);
        SimpleMailMessage msg = new SimpleMailMessage();
        msg.setTo(to);
        msg.setSubject("Guest pass for " + s.title());
        msg.setText("Your guest " + guest + " is booked for " + s.title() + " on " + s.startsAt()
                + ". Pass code: " + code + ". Please confirm within 48 hours.");
        return msg;
    }
}
