"""Date fields show saved dates in the only format a browser's date picker accepts."""

import datetime
from pathlib import Path

from interventions.kit.widgets import DateInput

ROOT = Path(__file__).resolve().parent.parent


def test_a_saved_date_is_shown_as_an_iso_date_in_a_date_picker():
    html = DateInput().render("as_of", datetime.date(2025, 6, 30))
    assert 'type="date"' in html
    assert 'value="2025-06-30"' in html


def test_every_form_uses_the_shared_date_picker():
    # Django's own DateInput writes dates as 30/06/2025 under en-GB, which a date picker
    # shows as blank: a form using it would lose the saved date on the next save.
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("interventions", "directions", "boards", "reports")
        for path in (ROOT / app).rglob("*.py")
        if "forms.DateInput(" in path.read_text() and path.name != "widgets.py"
    ]
    assert not offenders
