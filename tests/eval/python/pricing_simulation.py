"""Monte Carlo price simulation for the quote endpoint."""
import math
import random
import threading
from queue import Queue

from flask import Flask, jsonify, request

app = Flask(__name__)


def simulate_paths(spot: float, vol: float, rate: float, days: int, n: int, out: Queue) -> None:
    payoff = 0.0
    dt = 1 / 365
    for _ in range(n):
        price = spot
        for _ in range(days):
            z = random.gauss(0.0, 1.0)
            price *= math.exp((rate - 0.5 * vol * vol) * dt + vol * math.sqrt(dt) * z)
        payoff += max(price - spot, 0.0)
    out.put(payoff)


@app.post("/quote")
def quote():
    p = request.get_json()
    results: Queue = Queue()
    workers = [
        threading.Thread(
            target=simulate_paths,
            args=(p["spot"], p["vol"], p["rate"], p["days"], 2_000, results),
        )
        for _ in range(8)
    ]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    total = sum(results.get() for _ in workers)
    return jsonify(price=round(total / (8 * 2_000), 4))
