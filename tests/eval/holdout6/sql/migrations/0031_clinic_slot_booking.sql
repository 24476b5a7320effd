-- 0031_clinic_slot_booking.sql
-- Online booking for clinic appointments.
--  * a practitioner can never be double-booked (exclusion constraint)
--  * a patient gets a 5-minute soft hold while filling in the intake form
--  * expired holds are purged by pg_cron (extension enabled in 0002)

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE appointments (
    id              bigserial PRIMARY KEY,
    clinic_id       bigint    NOT NULL REFERENCES clinics(id),
    practitioner_id bigint    NOT NULL REFERENCES practitioners(id),
    patient_id      bigint    NOT NULL REFERENCES patients(id),
    during          tstzrange NOT NULL,
    status          text      NOT NULL DEFAULT 'booked',
    EXCLUDE USING gist (practitioner_id WITH =, during WITH &&) WHERE (status <> 'cancelled')
);
CREATE INDEX appointments_clinic_during_idx ON appointments USING gist (clinic_id, during);

CREATE TABLE slot_holds (
    clinic_id       bigint      NOT NULL,
    practitioner_id bigint      NOT NULL,
    starts_at       timestamptz NOT NULL,
    patient_id      bigint      NOT NULL,
    expires_at      timestamptz NOT NULL DEFAULT now() + interval '5 minutes',
    PRIMARY KEY (practitioner_id, starts_at)
);
CREATE INDEX slot_holds_expires_idx ON slot_holds (expires_at);

-- Take a hold on a slot. Returns true, or NULL if someone else holds it right now.
-- A stale (expired) hold is taken over in the same statement.
CREATE OR REPLACE FUNCTION hold_slot(p_clinic bigint, p_practitioner bigint, p_start timestamptz, p_patient bigint)
RETURNS boolean
LANGUAGE sql AS $$
    INSERT INTO slot_holds AS h (clinic_id, practitioner_id, starts_at, patient_id)
    VALUES (p_clinic, p_practitioner, p_start, p_patient)
    ON CONFLICT (practitioner_id, starts_at) DO UPDATE
        SET patient_id = EXCLUDED.patient_id,
            expires_at = now() + interval '5 minutes'
        WHERE h.expires_at < now() OR h.patient_id = EXCLUDED.patient_id
    RETURNING true;
$$;

-- Confirm: convert the caller's live hold into an appointment. The exclusion
-- constraint is the final guard; the API maps SQLSTATE 23P01 to HTTP 409.
CREATE OR REPLACE FUNCTION confirm_slot(p_clinic bigint, p_practitioner bigint, p_start timestamptz,
                                        p_patient bigint, p_minutes int)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    DELETE FROM slot_holds
     WHERE clinic_id = p_clinic AND practitioner_id = p_practitioner
       AND starts_at = p_start AND patient_id = p_patient AND expires_at > now();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'hold expired or not yours' USING ERRCODE = 'P0002';
    END IF;

    INSERT INTO appointments (clinic_id, practitioner_id, patient_id, during)
    VALUES (p_clinic, p_practitioner, p_patient,
            tstzrange(p_start, p_start + make_interval(mins => p_minutes)))
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

SELECT cron.schedule(
    'purge-expired-slot-holds',
    '*/10 * * * *',
    $$DELETE FROM slot_holds WHERE expires_at < now() - interval '1 hour'$$
);
