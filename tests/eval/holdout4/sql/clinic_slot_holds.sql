-- Online booking: a patient picking a time gets a 10 minute hold on the slot
-- while they fill in the intake form. Multi-tenant: every row has clinic_id.

CREATE TABLE practitioner_slots (
    id               bigserial PRIMARY KEY,
    clinic_id        bigint      NOT NULL REFERENCES clinics (id),
    practitioner_id  bigint      NOT NULL,
    starts_at        timestamptz NOT NULL,
    duration         interval    NOT NULL DEFAULT interval '20 minutes',
    booked_by        bigint,                 -- patient id once booked
    UNIQUE (clinic_id, practitioner_id, starts_at)
);

CREATE TABLE slot_holds (
    slot_id      bigint      PRIMARY KEY REFERENCES practitioner_slots (id) ON DELETE CASCADE,
    clinic_id    bigint      NOT NULL,
    patient_id   bigint      NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX slot_holds_expires_idx ON slot_holds (expires_at);

-- Expired holds are purged every 5 minutes (pg_cron, installed in 0007).
SELECT cron.schedule(
    'purge-expired-slot-holds',
    '*/5 * * * *',
    $$DELETE FROM slot_holds WHERE expires_at < now()$$
);

CREATE OR REPLACE FUNCTION hold_slot(p_clinic_id bigint, p_slot_id bigint, p_patient_id bigint)
RETURNS timestamptz
LANGUAGE plpgsql AS $$
DECLARE
    v_booked_by  bigint;
    v_expires    timestamptz := now() + interval '10 minutes';
BEGIN
    -- Lock the slot row so two patients cannot hold it at the same time.
    SELECT booked_by INTO v_booked_by
      FROM practitioner_slots
     WHERE id = p_slot_id AND clinic_id = p_clinic_id
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'slot % not found', p_slot_id USING ERRCODE = 'no_data_found';
    END IF;
    IF v_booked_by IS NOT NULL THEN
        RAISE EXCEPTION 'slot % already booked', p_slot_id USING ERRCODE = 'unique_violation';
    END IF;

    -- Take the hold, or steal it if the previous one has lapsed.
    INSERT INTO slot_holds (slot_id, clinic_id, patient_id, expires_at)
    VALUES (p_slot_id, p_clinic_id, p_patient_id, v_expires)
    ON CONFLICT (slot_id) DO UPDATE
        SET patient_id = EXCLUDED.patient_id, expires_at = EXCLUDED.expires_at
        WHERE slot_holds.expires_at < now() OR slot_holds.patient_id = EXCLUDED.patient_id;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'slot % is held by another patient', p_slot_id USING ERRCODE = 'unique_violation';
    END IF;
    RETURN v_expires;
END;
$$;

CREATE OR REPLACE FUNCTION book_held_slot(p_clinic_id bigint, p_slot_id bigint, p_patient_id bigint)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM slot_holds
     WHERE slot_id = p_slot_id AND clinic_id = p_clinic_id
       AND patient_id = p_patient_id AND expires_at > now();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no active hold on slot % for this patient', p_slot_id;
    END IF;

    UPDATE practitioner_slots
       SET booked_by = p_patient_id
     WHERE id = p_slot_id AND clinic_id = p_clinic_id AND booked_by IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'slot % was booked by someone else', p_slot_id;
    END IF;
END;
$$;
