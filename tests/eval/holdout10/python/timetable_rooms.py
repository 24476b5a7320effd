# is this safe? we run the timetable app with gunicorn -w 3
import threading

from timetable.models import RoomBooking

room_locks = {}


class AlreadyBooked(Exception):
    pass


def book_room(room_id, period_id, teacher_id):
    lock = room_locks.setdefault((room_id, period_id), threading.Lock())
    with lock:
        if RoomBooking.objects.filter(room_id=room_id, period_id=period_id).exists():
            raise AlreadyBooked(f"room {room_id} is taken in period {period_id}")
        return RoomBooking.objects.create(room_id=room_id, period_id=period_id, teacher_id=teacher_id)
