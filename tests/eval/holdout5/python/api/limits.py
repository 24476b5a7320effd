# is this rate limiting setup ok? we run 3 replicas on k8s behind an AWS ALB
from flask import Flask, jsonify
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)
# exactly one trusted proxy (the ALB) in front of us -> only trust the hop it appended
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

# counters in Redis so all replicas share them
limiter = Limiter(
    get_remote_address,
    app=app,
    storage_uri=os.environ["RATELIMIT_REDIS_URL"],
    strategy="moving-window",
    default_limits=["600 per minute"],
)


@app.post("/api/auth/login")
@limiter.limit("10 per minute")
@limiter.limit("50 per hour")
def login():
    ...


@app.errorhandler(429)
def too_many(e):
    return jsonify(error="rate limited", detail=str(e.description)), 429
