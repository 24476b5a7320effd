@Service
public class WalletService {

    private static final Logger log = LoggerFactory.getLogger(WalletService.class);

    @Autowired
    private WalletRepository walletRepository;

    @Autowired
    private WalletTransactionRepository txRepository;

    @Autowired
    private NotificationClient notificationClient;

    /**
     * Credits the user's wallet after a successful top-up.
     * Called from the payment callback and from the admin "manual credit" screen.
     */
    @Transactional
    public Wallet credit(Long userId, BigDecimal amount, String reference) {
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        Wallet wallet = walletRepository.findByUserId(userId)
                .orElseThrow(() -> new WalletNotFoundException(userId));

        BigDecimal newBalance = wallet.getBalance().add(amount);
        wallet.setBalance(newBalance);
        wallet.setUpdatedAt(Instant.now());
        walletRepository.save(wallet);

        WalletTransaction tx = new WalletTransaction();
        tx.setWalletId(wallet.getId());
        tx.setAmount(amount);
        tx.setReference(reference);
        tx.setType(TxType.CREDIT);
        txRepository.save(tx);

        try {
            notificationClient.sendBalanceChanged(userId, newBalance);
        } catch (Exception e) {
            // not critical
        }
        return wallet;
    }

    @Transactional(readOnly = true)
    public BigDecimal balance(Long userId) {
        return walletRepository.findByUserId(userId)
                .map(Wallet::getBalance)
                .orElse(BigDecimal.ZERO);
    }

    @Transactional(readOnly = true)
    public Page<WalletTransaction> history(Long userId, Pageable pageable) {
        Wallet wallet = walletRepository.findByUserId(userId)
                .orElseThrow(() -> new WalletNotFoundException(userId));
        return txRepository.findByWalletIdOrderByCreatedAtDesc(wallet.getId(), pageable);
    }
}

// WalletRepository.java
public interface WalletRepository extends JpaRepository<Wallet, Long> {
    Optional<Wallet> findByUserId(Long userId);
}
