-- Seed-swap library: members reserve seed packets online and collect them at the
-- next swap meet. A reservation lapses after 7 days if it is not collected.
-- Migration 0007_packet_reservations (PostgreSQL 15)

BEGIN;

CREATE TABLE seed_packets (
    id               bigserial PRIMARY KEY,
    library_id       int     NOT NULL REFERENCES libraries(id),
    variety          text    NOT NULL,
    saved_year       int     NOT NULL,
    copies_available int     NOT NULL CHECK (copies_available >= 0),
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE packet_reservations (
    id           bigserial PRIMARY KEY,
    library_id   int         NOT NULL REFERENCES libraries(id),
    packet_id    bigint      NOT NULL REFERENCES seed_packets(id),
    member_id    bigint      NOT NULL REFERENCES members(id),
    reserved_at  timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

CREATE INDEX packet_reservations_packet_idx ON packet_reservations (packet_id, expires_at);
CREATE INDEX packet_reservations_member_idx ON packet_reservations (member_id);

-- Reserve one copy of a packet for a member; returns the reservation id.
CREATE OR REPLACE FUNCTION reserve_packet(p_library int, p_packet bigint, p_member bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_copies  int;
    v_held    int;
    v_id      bigint;
BEGIN
    SELECT copies_available INTO v_copies
      FROM seed_packets
     WHERE id = p_packet AND library_id = p_library;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'packet % not in library %', p_packet, p_library;
    END IF;

    SELECT count(*) INTO v_held
      FROM packet_reservations
     WHERE packet_id = p_packet AND library_id = p_library AND expires_at > now();

    IF v_copies - v_held <= 0 THEN
        RAISE EXCEPTION 'no copies of packet % left to reserve', p_packet
              USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO packet_reservations (library_id, packet_id, member_id, expires_at)
    VALUES (p_library, p_packet, p_member, now() + interval '7 days')
    RETURNING id INTO v_id;

    RETURN v_id;
END;
$$;

-- Called by the volunteer's tablet at the swap meet when the member takes the packet.
CREATE OR REPLACE FUNCTION collect_reservation(p_library int, p_reservation bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_packet bigint;
BEGIN
    DELETE FROM packet_reservations
     WHERE id = p_reservation AND library_id = p_library AND expires_at > now()
    RETURNING packet_id INTO v_packet;

    IF v_packet IS NULL THEN
        RAISE EXCEPTION 'reservation % not found or lapsed', p_reservation;
    END IF;

    UPDATE seed_packets
       SET copies_available = copies_available - 1
     WHERE id = v_packet AND library_id = p_library AND copies_available > 0;
END;
$$;

COMMIT;
