-- Sheepdog trial scoring (MySQL 8.0, InnoDB)
-- Hosted for several trial clubs; every table carries club_id and the app
-- always binds it from the judge's or secretary's login.

CREATE TABLE runs (
    id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    club_id       INT UNSIGNED NOT NULL,
    trial_id      BIGINT UNSIGNED NOT NULL,
    run_order     SMALLINT UNSIGNED NOT NULL,
    handler_name  VARCHAR(120) NOT NULL,
    dog_name      VARCHAR(80) NOT NULL,
    total_points  SMALLINT UNSIGNED NOT NULL DEFAULT 0,
    status        ENUM('waiting','running','scored','retired','disqualified') NOT NULL DEFAULT 'waiting',
    UNIQUE KEY uq_runs_trial_order (trial_id, run_order),
    KEY ix_runs_club_trial_total (club_id, trial_id, total_points)
) ENGINE=InnoDB;

CREATE TABLE run_scores (
    run_id     BIGINT UNSIGNED NOT NULL,
    club_id    INT UNSIGNED NOT NULL,
    judge_id   INT UNSIGNED NOT NULL,
    phase      ENUM('outrun','lift','fetch','drive','pen','shed') NOT NULL,
    points     TINYINT UNSIGNED NOT NULL,
    scored_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (run_id, judge_id, phase),
    CONSTRAINT fk_scores_run FOREIGN KEY (run_id) REFERENCES runs (id)
) ENGINE=InnoDB;

-- Judge tablet submits (or corrects) a phase score; re-sending the same
-- score is harmless because of the primary key.
INSERT INTO run_scores (run_id, club_id, judge_id, phase, points)
VALUES (?, ?, ?, ?, ?)
ON DUPLICATE KEY UPDATE points = VALUES(points);

-- Total is recomputed from the score rows in one statement, so concurrent
-- judges never overwrite each other's contribution.
UPDATE runs r
   SET r.total_points = (SELECT COALESCE(SUM(s.points), 0)
                           FROM run_scores s
                          WHERE s.run_id = r.id
                            AND s.club_id = r.club_id),
       r.status = 'scored'
 WHERE r.id = ?
   AND r.club_id = ?;

-- Secretary marks the dog on the field; only a waiting run can start.
UPDATE runs
   SET status = 'running'
 WHERE id = ?
   AND club_id = ?
   AND status = 'waiting';
-- the app checks ROW_COUNT() = 1 and otherwise shows "run already started"

-- Leaderboard shown on the commentary screen.
SELECT r.run_order, r.handler_name, r.dog_name, r.total_points, r.status
  FROM runs r
 WHERE r.club_id = ?
   AND r.trial_id = ?
   AND r.status IN ('scored', 'retired', 'disqualified')
 ORDER BY r.total_points DESC, r.run_order
 LIMIT 50;

-- Per-phase breakdown for one run (at most 3 judges x 6 phases).
SELECT s.judge_id, s.phase, s.points
  FROM run_scores s
 WHERE s.run_id = ?
   AND s.club_id = ?
 ORDER BY s.judge_id, FIELD(s.phase, 'outrun','lift','fetch','drive','pen','shed')
 LIMIT 18;
