-- Community radio: studio door codes and the public playlist.
-- MySQL 8.0. Presenters get a one-off keypad code for the night of their show;
-- the door controller checks codes against this table over the LAN.

CREATE TABLE IF NOT EXISTS presenters (
    id            INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    display_name  VARCHAR(120) NOT NULL,
    email         VARCHAR(190) NOT NULL UNIQUE,
    active        TINYINT(1)   NOT NULL DEFAULT 1
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS studio_access_codes (
    id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    presenter_id  INT UNSIGNED NOT NULL,
    show_id       INT UNSIGNED NOT NULL,
    code          CHAR(6)      NOT NULL,
    valid_from    DATETIME     NOT NULL,
    expires_at    DATETIME     NOT NULL,
    used_at       DATETIME     NULL,
    KEY idx_code_valid (code, expires_at),
    CONSTRAINT fk_code_presenter FOREIGN KEY (presenter_id) REFERENCES presenters (id)
) ENGINE=InnoDB;

DELIMITER //
-- Called by the rota service at 09:00 for every show on today's schedule.
CREATE PROCEDURE issue_studio_code(IN p_presenter INT UNSIGNED, IN p_show INT UNSIGNED,
                                   IN p_starts DATETIME, IN p_ends DATETIME)
BEGIN
    DECLARE v_code CHAR(6);
    SET v_code = LPAD(FLOOR(RAND() * 1000000), 6, '0');
    INSERT INTO studio_access_codes (presenter_id, show_id, code, valid_from, expires_at)
    VALUES (p_presenter, p_show, v_code, p_starts - INTERVAL 30 MINUTE, p_ends + INTERVAL 30 MINUTE);
    SELECT v_code AS code;
END //
DELIMITER ;

-- Door controller check (prepared statement).
SELECT id, presenter_id
FROM studio_access_codes
WHERE code = ? AND valid_from <= NOW() AND expires_at > NOW()
LIMIT 1;

-- Mark the code used so the log shows who opened the door.
UPDATE studio_access_codes SET used_at = NOW() WHERE id = ? AND used_at IS NULL;

CREATE TABLE IF NOT EXISTS play_log (
    id          BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    show_id     INT UNSIGNED NOT NULL,
    artist      VARCHAR(200) NOT NULL,
    title       VARCHAR(200) NOT NULL,
    label       VARCHAR(120) NULL,
    played_at   DATETIME     NOT NULL,
    KEY idx_show_played (show_id, played_at)
) ENGINE=InnoDB;

-- Public "what did they play" page for a show: every track the show has ever aired.
-- GET /shows/:id/playlist
SELECT p.played_at, p.artist, p.title, p.label FROM play_log p WHERE p.show_id = ? ORDER BY p.played_at DESC;

-- Now-playing widget on the home page.
SELECT artist, title, played_at
FROM play_log
ORDER BY played_at DESC
LIMIT 1;
