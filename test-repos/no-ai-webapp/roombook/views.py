from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, jsonify, render_template, request
from user_agents import parse as parse_user_agent

from .models import Booking, Room, db

bp = Blueprint("rooms", __name__)


@bp.get("/")
def index():
    rooms = Room.query.order_by(Room.name).all()
    return render_template("index.html", rooms=rooms)


@bp.get("/api/rooms/<int:room_id>/bookings")
def list_bookings(room_id: int):
    day = request.args.get("day", datetime.now().strftime("%Y-%m-%d"))
    start = datetime.fromisoformat(day)
    bookings = (
        Booking.query.filter(Booking.room_id == room_id, Booking.starts_at >= start)
        .order_by(Booking.starts_at)
        .limit(50)
        .all()
    )
    return jsonify(
        [
            {
                "id": b.id,
                "title": b.title,
                "by": b.booked_by,
                "start": b.starts_at.isoformat(),
                "end": b.ends_at.isoformat(),
            }
            for b in bookings
        ]
    )


@bp.post("/api/rooms/<int:room_id>/bookings")
def create_booking(room_id: int):
    room = db.session.get(Room, room_id) or abort(404)
    payload = request.get_json(force=True)
    start = datetime.fromisoformat(payload["start"])
    end = datetime.fromisoformat(payload["end"])
    if end <= start:
        abort(400, "end must be after start")
    if any(b.overlaps(start, end) for b in room.bookings):
        abort(409, "room already booked")

    ua = parse_user_agent(request.headers.get("User-Agent", ""))
    booking = Booking(
        room_id=room.id,
        title=payload.get("title", "Meeting")[:120],
        booked_by=payload["by"],
        starts_at=start,
        ends_at=end,
        agent=str(ua)[:255],
    )
    db.session.add(booking)
    db.session.commit()
    return jsonify({"id": booking.id}), 201
