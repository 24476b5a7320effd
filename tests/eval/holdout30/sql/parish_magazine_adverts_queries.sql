-- queries/adverts.sql  (MySQL 8, compiled with sqlc)
-- Advert bookings for parish magazines. One database serves every benefice
-- on the platform; parish_id identifies the magazine that owns a row.

-- name: ListAdvertsForIssue :many
SELECT a.id, a.advertiser_id, a.size, a.position, a.proof_status
  FROM advert_bookings a
 WHERE a.parish_id = ?
   AND a.issue_month = ?
 ORDER BY a.position, a.id
 LIMIT 200;

-- name: GetAdvertiser :one
SELECT id, business_name, contact_name, email, phone
  FROM advertisers
 WHERE id = ? AND parish_id = ?;

-- name: CreateAdvertBooking :execlastid
INSERT INTO advert_bookings (parish_id, advertiser_id, issue_month, size, position, price_pence, proof_status)
VALUES (?, ?, ?, ?, ?, ?, 'awaiting_artwork');

-- name: ListAdvertiserBookingHistory :many
-- Shown on the advertiser's page in the editor's back office.
SELECT a.issue_month, a.size, a.price_pence, a.paid_at, i.print_run FROM advert_bookings a
  JOIN magazine_issues i ON i.parish_id = a.parish_id AND i.issue_month = a.issue_month
 WHERE a.parish_id = ?
   AND a.advertiser_id = ?
 ORDER BY a.issue_month DESC
 LIMIT 60;

-- name: ListAllBookingsForExport :many
-- Back office "download everything" button for the treasurer's spreadsheet.
SELECT a.id, ad.business_name, a.issue_month, a.size, a.price_pence, a.paid_at, a.proof_status FROM advert_bookings a
  JOIN advertisers ad ON ad.id = a.advertiser_id AND ad.parish_id = a.parish_id
 WHERE a.parish_id = ?
 ORDER BY a.issue_month, ad.business_name;

-- name: GetAdvertProof :one
SELECT p.id, p.booking_id, p.artwork_url, p.uploaded_at, p.editor_comment FROM advert_proofs p
 WHERE p.booking_id = ?
 ORDER BY p.uploaded_at DESC
 LIMIT 1;

-- name: ApproveProof :execrows
UPDATE advert_bookings
   SET proof_status = 'approved', approved_at = NOW()
 WHERE id = ? AND parish_id = ? AND proof_status = 'proof_sent';

-- name: UnpaidBookingsForIssue :many
SELECT a.id, ad.business_name, ad.email, a.price_pence
  FROM advert_bookings a
  JOIN advertisers ad ON ad.id = a.advertiser_id AND ad.parish_id = a.parish_id
 WHERE a.parish_id = ?
   AND a.issue_month = ?
   AND a.paid_at IS NULL
 ORDER BY ad.business_name
 LIMIT 200;
