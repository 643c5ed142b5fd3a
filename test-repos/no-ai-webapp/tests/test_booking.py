from datetime import datetime

from roombook.models import Booking


def test_overlap():
    b = Booking(starts_at=datetime(2025, 1, 6, 10), ends_at=datetime(2025, 1, 6, 11))
    assert b.overlaps(datetime(2025, 1, 6, 10, 30), datetime(2025, 1, 6, 12))
    assert not b.overlaps(datetime(2025, 1, 6, 11), datetime(2025, 1, 6, 12))
