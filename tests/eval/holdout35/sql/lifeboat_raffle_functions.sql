-- Lifeboat station open day raffle.
-- Tickets are sold from the tombola stand tablets and the online shop; both
-- call sell_raffle_tickets(). After the draw on the slipway, the station
-- secretary runs queue_raffle_thank_yous() to email everyone who took part.

CREATE TABLE IF NOT EXISTS raffles (
    id             bigserial PRIMARY KEY,
    title          text        NOT NULL,
    price_pence    integer     NOT NULL,
    tickets_sold   integer     NOT NULL DEFAULT 0,
    takings_pence  integer     NOT NULL DEFAULT 0,
    drawn_at       timestamptz
);

CREATE TABLE IF NOT EXISTS raffle_tickets (
    id          bigserial PRIMARY KEY,
    raffle_id   bigint  NOT NULL REFERENCES raffles(id),
    ticket_no   integer NOT NULL,
    supporter_id bigint NOT NULL,
    sold_via    text    NOT NULL   -- 'stand' or 'online'
);

CREATE INDEX IF NOT EXISTS raffle_tickets_raffle_idx ON raffle_tickets (raffle_id, supporter_id);

CREATE OR REPLACE FUNCTION sell_raffle_tickets(
    p_raffle_id    bigint,
    p_supporter_id bigint,
    p_qty          integer,
    p_sold_via     text
) RETURNS TABLE (ticket_no integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_sold    integer;
    v_takings integer;
    v_price   integer;
BEGIN
    IF p_qty < 1 OR p_qty > 50 THEN
        RAISE EXCEPTION 'quantity must be between 1 and 50';
    END IF;

    SELECT r.tickets_sold, r.takings_pence, r.price_pence
      INTO v_sold, v_takings, v_price
      FROM raffles r
     WHERE r.id = p_raffle_id AND r.drawn_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'raffle % is closed', p_raffle_id;
    END IF;

    -- Strips are numbered consecutively from the running total.
    UPDATE raffles
       SET tickets_sold  = v_sold + p_qty,
           takings_pence = v_takings + p_qty * v_price
     WHERE id = p_raffle_id;

    RETURN QUERY
    INSERT INTO raffle_tickets (raffle_id, ticket_no, supporter_id, sold_via)
    SELECT p_raffle_id, v_sold + g, p_supporter_id, p_sold_via
      FROM generate_series(1, p_qty) AS g
    RETURNING raffle_tickets.ticket_no;
END;
$$;

CREATE OR REPLACE FUNCTION queue_raffle_thank_yous(p_raffle_id bigint)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r        record;
    v_email  text;
    v_name   text;
    v_queued integer := 0;
BEGIN
    FOR r IN
        SELECT supporter_id, count(*) AS tickets
          FROM raffle_tickets
         WHERE raffle_id = p_raffle_id
         GROUP BY supporter_id
    LOOP
        SELECT email, first_name INTO v_email, v_name
          FROM supporters
         WHERE id = r.supporter_id AND email_opt_in;

        CONTINUE WHEN v_email IS NULL;

        INSERT INTO email_outbox (to_address, template, payload)
        VALUES (v_email, 'raffle_thanks',
                jsonb_build_object('name', v_name, 'tickets', r.tickets, 'raffle_id', p_raffle_id));
        v_queued := v_queued + 1;
    END LOOP;
    RETURN v_queued;
END;
$$;
