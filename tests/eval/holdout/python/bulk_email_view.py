from flask import Blueprint, jsonify, request
from flask_login import login_required

from .mailer import send_email
from .models import Subscriber

bp = Blueprint("newsletter", __name__)


@bp.post("/newsletters/<int:newsletter_id>/send")
@login_required
def send_newsletter(newsletter_id):
    subject = request.json["subject"]
    body = request.json["html"]
    sent = 0
    for sub in Subscriber.query.filter_by(newsletter_id=newsletter_id, confirmed=True):
        send_email(to=sub.email, subject=subject, html=body)
        sent += 1
    return jsonify(sent=sent)
