-- MySQL 8.0: canal lock-keeper shift handovers and time-off-in-lieu bank.
-- Called by the keepers' tablet app at the end of each shift.

CREATE TABLE IF NOT EXISTS keeper_time_bank (
    keeper_id     INT           NOT NULL PRIMARY KEY,
    hours_banked  DECIMAL(7,2)  NOT NULL DEFAULT 0,
    updated_at    DATETIME      NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS shift_handovers (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    shift_id         BIGINT        NOT NULL,
    lock_code        VARCHAR(16)   NOT NULL,      -- e.g. 'KA-27' (Kennet & Avon lock 27)
    outgoing_keeper  INT           NOT NULL,
    incoming_keeper  INT           NOT NULL,
    water_level_cm   SMALLINT,
    paddles_checked  TINYINT(1)    NOT NULL DEFAULT 0,
    notes            TEXT,
    handed_over_at   DATETIME      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY idx_handovers_lock (lock_code, handed_over_at)
) ENGINE=InnoDB;

DELIMITER //

CREATE PROCEDURE record_handover(
    IN p_shift_id        BIGINT,
    IN p_lock_code       VARCHAR(16),
    IN p_outgoing        INT,
    IN p_incoming        INT,
    IN p_extra_hours     DECIMAL(5,2),
    IN p_water_level_cm  SMALLINT,
    IN p_notes           TEXT
)
BEGIN
    DECLARE v_existing INT DEFAULT 0;
    DECLARE v_banked   DECIMAL(7,2) DEFAULT 0;

    -- The tablet retries on flaky 4G, so ignore a second submit of the same shift.
    SELECT COUNT(*) INTO v_existing FROM shift_handovers WHERE shift_id = p_shift_id;
    IF v_existing = 0 THEN
        INSERT INTO shift_handovers
            (shift_id, lock_code, outgoing_keeper, incoming_keeper, water_level_cm, paddles_checked, notes)
        VALUES
            (p_shift_id, p_lock_code, p_outgoing, p_incoming, p_water_level_cm, 1, p_notes);

        IF p_extra_hours > 0 THEN
            SELECT hours_banked INTO v_banked FROM keeper_time_bank WHERE keeper_id = p_outgoing;
            UPDATE keeper_time_bank
               SET hours_banked = v_banked + p_extra_hours
             WHERE keeper_id = p_outgoing;
        END IF;
    END IF;
END //

DELIMITER ;

-- Last five handovers at a lock, for the incoming keeper's briefing screen.
SELECT h.handed_over_at, h.outgoing_keeper, h.water_level_cm, h.notes
  FROM shift_handovers h
 WHERE h.lock_code = ?
 ORDER BY h.handed_over_at DESC
 LIMIT 5;
