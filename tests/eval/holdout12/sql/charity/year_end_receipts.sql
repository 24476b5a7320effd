-- Year-end tax receipt totals, one row per donor per charity.
-- Run once in January by finance against the read replica:
--   psql "$REPLICA_URL" -v year=2024 -f year_end_receipts.sql > receipts_2024.csv
-- The CSV feeds the receipt mail-merge; nothing in the web app calls this.

\set ON_ERROR_STOP on
SET statement_timeout = '15min';

COPY (
    SELECT c.id                      AS charity_id,
           c.legal_name              AS charity,
           dn.id                     AS donor_id,
           dn.full_name,
           dn.email,
           dn.postal_address,
           count(*)                  AS gifts,
           sum(d.amount_cents)       AS total_cents,
           min(d.received_at)::date  AS first_gift,
           max(d.received_at)::date  AS last_gift
    FROM donations d
    JOIN donors    dn ON dn.id = d.donor_id
    JOIN charities c  ON c.id = d.charity_id
    WHERE d.status = 'settled'
      AND d.received_at >= make_date(:year, 1, 1)
      AND d.received_at <  make_date(:year + 1, 1, 1)
      AND dn.wants_tax_receipt
    GROUP BY c.id, c.legal_name, dn.id, dn.full_name, dn.email, dn.postal_address
    HAVING sum(d.amount_cents) >= 2500
    ORDER BY c.id, dn.full_name
) TO STDOUT WITH (FORMAT csv, HEADER);
