-- Functions exposed to the vet clinic web app through PostgREST (/rpc/...).
-- Multi-tenant: every clinical table carries clinic_id; the clinic of the
-- caller comes from the JWT claim via current_clinic_id().

CREATE OR REPLACE FUNCTION current_clinic_id() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT (current_setting('request.jwt.claims', true)::json ->> 'clinic_id')::bigint
$$;

CREATE OR REPLACE FUNCTION search_patients(p_query text, p_limit int DEFAULT 25)
RETURNS SETOF patients
LANGUAGE sql STABLE AS $$
    SELECT *
      FROM patients
     WHERE clinic_id = current_clinic_id()
       AND (name ILIKE '%' || p_query || '%' OR microchip_no = p_query)
     ORDER BY name
     LIMIT least(p_limit, 100);
$$;

CREATE OR REPLACE FUNCTION patient_detail(p_patient_id bigint)
RETURNS SETOF patients
LANGUAGE sql STABLE AS $$
    SELECT * FROM patients
     WHERE id = p_patient_id
       AND clinic_id = current_clinic_id();
$$;

CREATE OR REPLACE FUNCTION visit_notes(p_visit_id bigint)
RETURNS TABLE (id bigint, visit_id bigint, author text, body text, created_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT n.id, n.visit_id, n.author, n.body, n.created_at
      FROM visit_notes n
     WHERE n.visit_id = p_visit_id
     ORDER BY n.created_at;
$$;

CREATE OR REPLACE FUNCTION patient_visits(p_patient_id bigint)
RETURNS SETOF visits
LANGUAGE sql STABLE AS $$
    SELECT v.*
      FROM visits v
     WHERE v.patient_id = p_patient_id
       AND v.clinic_id = current_clinic_id()
     ORDER BY v.visited_at DESC;
$$;

CREATE OR REPLACE FUNCTION clinic_invoices(p_status text DEFAULT 'open')
RETURNS SETOF invoices
LANGUAGE sql STABLE AS $$
    SELECT * FROM invoices
     WHERE clinic_id = current_clinic_id()
       AND status = p_status
     ORDER BY issued_at DESC
     LIMIT 200;
$$;
