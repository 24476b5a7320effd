// lobby-svc — runs as 3 replicas behind the NLB (deploy/lobby/values.yaml: replicaCount: 3)
// players hit whichever pod the LB picks; game servers call back via /internal/*

@Service
@RequiredArgsConstructor
@Slf4j
public class LobbyService {

    private final Map<String, Lobby> openLobbies = new ConcurrentHashMap<>();
    private final Map<Long, PlayerProfile> profileCache = new ConcurrentHashMap<>();

    private final PlayerProfileRepository profiles;
    private final WalletRepository wallets;
    private final MatchmakerClient matchmaker;

    public Lobby create(long hostId, GameMode mode) {
        String code = RandomStringUtils.randomAlphanumeric(6).toUpperCase();
        Lobby lobby = new Lobby(code, hostId, mode, Instant.now());
        lobby.addPlayer(profile(hostId));
        openLobbies.put(code, lobby);
        return lobby;
    }

    public Lobby join(String code, long playerId) {
        Lobby lobby = openLobbies.get(code);
        if (lobby == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "lobby not found");
        }
        synchronized (lobby) {
            if (lobby.players().size() >= lobby.mode().maxPlayers()) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "lobby full");
            }
            lobby.addPlayer(profile(playerId));
        }
        return lobby;
    }

    public void start(String code, long requesterId) {
        Lobby lobby = openLobbies.remove(code);
        if (lobby == null || lobby.hostId() != requesterId) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        matchmaker.allocateServer(lobby);
    }

    private PlayerProfile profile(long playerId) {
        return profileCache.computeIfAbsent(playerId,
                id -> profiles.findById(id).orElseThrow(() -> new IllegalArgumentException("no player " + id)));
    }

    /** Called by the game server when a match ends, and by the daily-quest job. */
    @Transactional
    public long awardCoins(long playerId, long amount, String reason) {
        Wallet wallet = wallets.findByPlayerId(playerId).orElseThrow();
        long newBalance = wallet.getCoins() + amount;
        wallet.setCoins(newBalance);
        wallets.save(wallet);
        log.info("awarded {} coins to {} ({}), balance now {}", amount, playerId, reason, newBalance);
        return newBalance;
    }

    // TODO spend() for the cosmetics shop — same pattern as awardCoins but subtract
