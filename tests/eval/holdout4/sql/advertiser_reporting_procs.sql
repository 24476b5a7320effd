-- Stored procedures behind the advertiser dashboard (MySQL 8.0).
-- Every table is partitioned by advertiser: campaigns, ad_groups, impressions
-- and conversions all carry account_id. The reporting API passes the caller's
-- account id from the session as the first argument.
--
-- impressions: ~4B rows, ~35M/day.  conversions: ~60M rows.

DELIMITER $$

DROP PROCEDURE IF EXISTS sp_list_campaigns $$
CREATE PROCEDURE sp_list_campaigns(IN p_account_id BIGINT, IN p_limit INT, IN p_offset INT)
BEGIN
    SELECT c.id, c.name, c.status, c.daily_budget_micros, c.created_at
      FROM campaigns c
     WHERE c.account_id = p_account_id
     ORDER BY c.created_at DESC
     LIMIT p_limit OFFSET p_offset;
END $$

DROP PROCEDURE IF EXISTS sp_campaign_detail $$
CREATE PROCEDURE sp_campaign_detail(IN p_account_id BIGINT, IN p_campaign_id BIGINT)
BEGIN
    SELECT c.id, c.name, c.status, c.bid_strategy, c.targeting_json,
           c.daily_budget_micros, c.start_date, c.end_date
      FROM campaigns c
     WHERE c.id = p_campaign_id;
END $$

DROP PROCEDURE IF EXISTS sp_pause_campaign $$
CREATE PROCEDURE sp_pause_campaign(IN p_account_id BIGINT, IN p_campaign_id BIGINT)
BEGIN
    UPDATE campaigns
       SET status = 'PAUSED', updated_at = NOW()
     WHERE id = p_campaign_id AND account_id = p_account_id;
    SELECT ROW_COUNT() AS affected;
END $$

-- "Overview" tab: the dashboard calls this on every page load and again on
-- its 30 second auto-refresh.
DROP PROCEDURE IF EXISTS sp_account_overview $$
CREATE PROCEDURE sp_account_overview(IN p_account_id BIGINT, IN p_from DATE, IN p_to DATE)
BEGIN
    SELECT c.id AS campaign_id, c.name,
           COUNT(i.id)                  AS impressions,
           SUM(i.clicked)               AS clicks,
           SUM(i.cost_micros)           AS spend_micros,
           COUNT(DISTINCT i.user_hash)  AS reach,
           SUM(i.clicked) / NULLIF(COUNT(i.id), 0) AS ctr
      FROM campaigns c
      JOIN impressions i ON i.campaign_id = c.id AND i.account_id = c.account_id
     WHERE c.account_id = p_account_id
       AND i.served_at >= p_from
       AND i.served_at <  p_to + INTERVAL 1 DAY
     GROUP BY c.id, c.name
     ORDER BY spend_micros DESC;
END $$

-- Conversions table on the campaign page (rendered client side, sortable).
DROP PROCEDURE IF EXISTS sp_campaign_conversions $$
CREATE PROCEDURE sp_campaign_conversions(IN p_account_id BIGINT, IN p_campaign_id BIGINT)
BEGIN
    SELECT cv.id, cv.click_id, cv.conversion_type, cv.value_micros,
           cv.attribution_model, cv.converted_at
      FROM conversions cv
     WHERE cv.account_id = p_account_id
       AND cv.campaign_id = p_campaign_id
     ORDER BY cv.converted_at DESC;
END $$

DELIMITER ;
