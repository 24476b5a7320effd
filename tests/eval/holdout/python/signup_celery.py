import logging

from celery import Celery
from sqlalchemy.exc import IntegrityError

from .db import Session
from .models import User

log = logging.getLogger(__name__)
app = Celery("signup", broker="redis://redis:6379/0")


def create_user(email: str, name: str) -> int:
    with Session() as s:
        user = User(email=email.lower(), name=name)
        s.add(user)
        try:
            s.commit()
        except IntegrityError:
            s.rollback()
            return s.query(User.id).filter_by(email=email.lower()).scalar()
        return user.id


@app.task(bind=True, max_retries=5)
def send_welcome(self, user_id: int) -> None:
    try:
        from .mailer import send_template
        send_template(user_id, "welcome")
    except ConnectionError as exc:
        raise self.retry(exc=exc, countdown=2 ** self.request.retries * 30)
