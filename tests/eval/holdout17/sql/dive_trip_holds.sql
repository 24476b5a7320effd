-- Scuba dive-trip booking: divers get a 20 minute hold on a boat place while
-- they upload their certification card and pay.

create table dive_trips (
  id           bigserial primary key,
  centre_id    bigint not null references dive_centres(id),
  site         text not null,
  departs_at   timestamptz not null,
  boat_places  int not null check (boat_places > 0),
  min_cert     text not null default 'OW'
);

create table dive_trip_places (
  id           bigserial primary key,
  trip_id      bigint not null references dive_trips(id),
  diver_id     bigint not null references divers(id),
  status       text not null default 'held',      -- held | paid | cancelled
  hold_until   timestamptz,
  created_at   timestamptz not null default now()
);

create index on dive_trip_places (trip_id, status);

-- hold_place(trip, diver) -> place id, or null when the boat is full
create or replace function hold_place(p_trip bigint, p_diver bigint)
returns bigint
language plpgsql
as $$
declare
  v_capacity int;
  v_taken    int;
  v_id       bigint;
begin
  select boat_places into v_capacity from dive_trips where id = p_trip;

  select count(*) into v_taken
    from dive_trip_places
   where trip_id = p_trip
     and (status = 'paid' or (status = 'held' and hold_until > now()));

  if v_taken >= v_capacity then
    return null;
  end if;

  insert into dive_trip_places (trip_id, diver_id, status, hold_until)
  values (p_trip, p_diver, 'held', now() + interval '20 minutes')
  returning id into v_id;

  return v_id;
end;
$$;

-- confirm_place(place) after the payment provider redirect
create or replace function confirm_place(p_place bigint)
returns boolean
language plpgsql
as $$
begin
  update dive_trip_places
     set status = 'paid', hold_until = null
   where id = p_place
     and status = 'held'
     and hold_until > now();
  return found;
end;
$$;
