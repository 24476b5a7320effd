-- ski shop: rental set reservations + loyalty points
-- (called from the booking site and the in-store POS)

create or replace function reserve_ski_set(
    p_set_id      int,
    p_customer_id int,
    p_from        date,
    p_to          date
) returns int
language plpgsql as $$
declare
    v_taken int;
    v_res_id int;
begin
    if p_to < p_from then
        raise exception 'bad date range';
    end if;

    select count(*) into v_taken
      from ski_reservations
     where set_id = p_set_id
       and status in ('reserved', 'out')
       and daterange(start_day, end_day, '[]') && daterange(p_from, p_to, '[]');

    if v_taken > 0 then
        return null;   -- set already booked for some of those days
    end if;

    insert into ski_reservations (set_id, customer_id, start_day, end_day, status, created_at)
    values (p_set_id, p_customer_id, p_from, p_to, 'reserved', now())
    returning id into v_res_id;

    return v_res_id;
end;
$$;


-- 1 point per CHF, tier recalculated on every earn
create or replace function add_loyalty_points(p_customer_id int, p_points int)
returns int
language plpgsql as $$
declare
    v_points int;
    v_new    int;
begin
    select points into v_points
      from loyalty_accounts
     where customer_id = p_customer_id;

    if not found then
        insert into loyalty_accounts (customer_id, points, tier)
        values (p_customer_id, p_points, 'blue');
        return p_points;
    end if;

    v_new := v_points + p_points;

    update loyalty_accounts
       set points = v_new,
           tier = case when v_new >= 5000 then 'black'
                       when v_new >= 1500 then 'red'
                       else 'blue' end,
           updated_at = now()
     where customer_id = p_customer_id;

    return v_new;
end;
$$;


-- returning a set: mark as returned, nothing fancy
create or replace function return_ski_set(p_res_id int) returns void
language sql as $$
    update ski_reservations
       set status = 'returned', returned_at = now()
     where id = p_res_id and status = 'out';
$$;
