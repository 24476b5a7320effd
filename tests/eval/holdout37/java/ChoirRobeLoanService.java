// RobeLoanService.java - robe cupboard for St Aldhelm's village choir.
// Singers borrow a cassock + surplice set for the season; the robe secretary
// runs the returns evening in September.

@Service
public class RobeLoanService {

    private static final Logger log = LoggerFactory.getLogger(RobeLoanService.class);

    private final RobeRepository robes;
    private final RobeLoanRepository loans;
    private final ChoirMailer mailer;

    public RobeLoanService(RobeRepository robes, RobeLoanRepository loans, ChoirMailer mailer) {
        this.robes = robes;
        this.loans = loans;
        this.mailer = mailer;
    }

    /**
     * Lends a robe set to a singer. Called from the "Borrow" button on the
     * robe rail page, which several section leaders use on rehearsal nights.
     */
    @Transactional
    public RobeLoan lendRobe(long robeId, long singerId, LocalDate returnBy) {
        Robe robe = robes.findById(robeId)
                .orElseThrow(() -> new RobeNotFoundException(robeId));

        if (robe.getStatus() != RobeStatus.ON_RAIL) {
            throw new RobeUnavailableException(robeId, robe.getStatus());
        }
        if (returnBy.isAfter(LocalDate.now().plusMonths(10))) {
            throw new IllegalArgumentException("Loans run for one season at most");
        }

        robe.setStatus(RobeStatus.ON_LOAN);
        robe.setCurrentHolderId(singerId);
        robes.save(robe);

        RobeLoan loan = loans.save(new RobeLoan(robe.getId(), singerId, LocalDate.now(), returnBy));
        log.info("Robe {} ({}) lent to singer {} until {}", robe.getId(), robe.getSize(), singerId, returnBy);

        try {
            mailer.sendLoanConfirmation(singerId, robe.getLabel(), returnBy);
        } catch (Exception e) {
            // the loan is already recorded; the singer can see it on the rota page
        }
        return loan;
    }

    /** Marks a loan as returned and puts the robe back on the rail (or off to the cleaners). */
    @Transactional
    public void returnRobe(long loanId, long robeId, boolean needsCleaning) {
        // markReturned is an @Modifying query: ... SET returned_on = ?2 WHERE id = ?1 AND returned_on IS NULL
        int closed = loans.markReturned(loanId, LocalDate.now());
        if (closed == 0) {
            throw new LoanAlreadyClosedException(loanId);
        }
        robes.updateStatus(robeId, needsCleaning ? RobeStatus.AT_CLEANERS : RobeStatus.ON_RAIL);
    }

    /** Outstanding loans for the returns-evening checklist, one page at a time. */
    @Transactional(readOnly = true)
    public Page<RobeLoan> outstanding(Pageable page) {
        return loans.findByReturnedOnIsNullOrderByReturnByAsc(page);
    }
}
