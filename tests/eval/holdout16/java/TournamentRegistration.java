// is this safe when 200 people hit "register" the second the Open goes live?
@Transactional
public RegistrationResult register(long tournamentId, long playerId) {
    Integer maxPlayers = jdbc.queryForObject(
        "SELECT max_players FROM tournaments WHERE id = ? AND registration_open FOR UPDATE",
        Integer.class, tournamentId);
    Integer registered = jdbc.queryForObject(
        "SELECT count(*) FROM registrations WHERE tournament_id = ?", Integer.class, tournamentId);
    if (registered >= maxPlayers) {
        return RegistrationResult.FULL;
    }
    try {
        // UNIQUE (tournament_id, player_id)
        jdbc.update("INSERT INTO registrations (tournament_id, player_id, registered_at) VALUES (?, ?, now())",
            tournamentId, playerId);
    } catch (DuplicateKeyException e) {
        return RegistrationResult.ALREADY_REGISTERED;
    }
    return RegistrationResult.OK;
}
