def fleet_availability(branch_id: int) -> dict:
    """Daily availability grid per car class for the next 30 days (cached 5 min)."""
    key = f"avail:{branch_id}"
    cached = redis_client.get(key)
    if cached:
        return json.loads(cached)

    # only one worker recomputes; the others wait briefly for the fresh value
    lock = redis_client.lock(f"{key}:lock", timeout=30, blocking_timeout=5)
    if lock.acquire():
        try:
            cached = redis_client.get(key)  # someone may have filled it meanwhile
            if cached:
                return json.loads(cached)
            rows = (
                Reservation.objects.filter(branch_id=branch_id, pickup_date__lte=today() + timedelta(days=30),
                                           return_date__gte=today())
                .values("car__car_class", "pickup_date", "return_date")
            )
            grid = build_grid(rows, Car.objects.filter(branch_id=branch_id, retired=False).values("car_class"))
            redis_client.set(key, json.dumps(grid), ex=300)
            redis_client.set(f"{key}:stale", json.dumps(grid), ex=3600)
            return grid
        finally:
            lock.release()

    # lock holder is slow: serve the last good value rather than piling on the DB
    stale = redis_client.get(f"{key}:stale")
    return json.loads(stale) if stale else {"branch_id": branch_id, "grid": [], "stale": True
