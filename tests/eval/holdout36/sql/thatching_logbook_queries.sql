-- Thatching apprentice logbook: app queries (node-postgres named files).
-- The logbook is hosted for several training providers (the college, two
-- master thatchers' guilds); every provider-owned table has provider_id
-- and the API passes the signed-in assessor's provider as :provider_id.

-- logbook/list_entries.sql
-- Apprentice's logbook page: every day logged since they started.
SELECT e.id, e.worked_on, e.site_name, e.roof_type, e.material, e.hours,
       e.task_summary, e.signed_off_at
  FROM logbook_entries e
 WHERE e.provider_id = :provider_id
   AND e.apprentice_id = :apprentice_id
 ORDER BY e.worked_on DESC;

-- logbook/sign_off_entry.sql
-- Master thatcher signs off a day's work; only unsigned entries change.
UPDATE logbook_entries
   SET signed_off_by = :assessor_id,
       signed_off_at = now()
 WHERE id = :entry_id
   AND provider_id = :provider_id
   AND signed_off_at IS NULL
RETURNING id, signed_off_at;

-- logbook/hours_by_material.sql
-- Progress tiles: hours per material towards the apprenticeship standard.
SELECT e.material, sum(e.hours) AS hours
  FROM logbook_entries e
 WHERE e.provider_id = :provider_id
   AND e.apprentice_id = :apprentice_id
   AND e.signed_off_at IS NOT NULL
 GROUP BY e.material
 ORDER BY hours DESC
 LIMIT 10;

-- logbook/search_by_roof.sql
-- Assessor search: recent entries on a roof type, e.g. long straw ridges,
-- to find evidence for the end-point assessment.
SELECT e.id, e.apprentice_id, e.worked_on, e.site_name, e.task_summary
  FROM logbook_entries e
 WHERE e.roof_type = :roof_type
   AND e.worked_on >= :since
 ORDER BY e.worked_on DESC
 LIMIT 50;

-- logbook/add_photo.sql
INSERT INTO logbook_photos (provider_id, entry_id, storage_key, caption, taken_at)
SELECT e.provider_id, e.id, :storage_key, :caption, :taken_at
  FROM logbook_entries e
 WHERE e.id = :entry_id
   AND e.provider_id = :provider_id
RETURNING id;
