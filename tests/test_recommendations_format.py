"""Recommendations' links to key activities and boards' required membership travel through the
import format: imported, exported, and refused when they point at nothing."""

import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from boards.models import Board, Recommendation

DATA = Path(settings.BASE_DIR) / "data" / "tower-hamlets-2025.yaml"
pytestmark = pytest.mark.django_db


def the_file() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def write(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def load(path: Path) -> None:
    call_command("import_intervention", str(path), stdout=io.StringIO())


def export(slug: str) -> str:
    out = io.StringIO()
    call_command("export_intervention", slug, stdout=out)
    return out.getvalue()


def test_a_recommendation_linked_to_key_activities_is_imported_and_exported(tmp_path):
    document = the_file()
    ey3 = next(r for r in document["recommendations"] if r["reference"] == "EY-2025-3")
    ey3["milestones"] = ["8/3", "7/1"]
    load(write(tmp_path, document))

    recommendation = Recommendation.objects.get(reference="EY-2025-3")
    linked = sorted((m.programme.number, m.position) for m in recommendation.milestones.all())
    assert linked == [(7, 1), (8, 3)]
    exported = yaml.safe_load(export("tower-hamlets-2025"))
    again = next(r for r in exported["recommendations"] if r["reference"] == "EY-2025-3")
    assert again["milestones"] == ["7/1", "8/3"]


def test_a_link_to_a_key_activity_that_does_not_exist_is_refused(tmp_path):
    document = the_file()
    document["recommendations"][0]["milestones"] = ["8/99"]

    with pytest.raises(CommandError, match=r"recommendations\[0\]\.milestones\[0\]"):
        load(write(tmp_path, document))
    assert not Recommendation.objects.exists()


def test_a_requirement_naming_a_direction_that_does_not_exist_is_refused(tmp_path):
    document = the_file()
    tab = next(board for board in document["boards"] if board["key"] == "tab")
    tab["requirements"][0]["direction"] = "2025-directions/z"

    with pytest.raises(CommandError, match=r"boards\[0\]\.requirements\[0\]\.direction"):
        load(write(tmp_path, document))
    assert not Board.objects.exists()


def test_the_required_membership_and_opposition_seats_are_exported():
    load(DATA)

    exported = yaml.safe_load(export("tower-hamlets-2025"))

    tab = next(board for board in exported["boards"] if board["key"] == "tab")
    assert [r["direction"] for r in tab["requirements"]] == [
        f"2025-directions/a.{ref}" for ref in ("i", "ii", "iii", "iv", "v", "vi")
    ]
    assert sorted(m["person"] for m in tab["members"] if m.get("opposition")) == [
        "nathalie-bienfait",
        "sirajul-islam",
    ]
