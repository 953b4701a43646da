"""The data-format document describes every field of the format, section by section."""

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from interventions.interchange import schema

DOC = (Path(__file__).resolve().parents[1] / "docs" / "data-format.md").read_text()


def sections() -> dict[str, str]:
    parts = re.split(r"^### `(\w+)`$", DOC, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


FORMAT_CLASSES = [
    value
    for value in vars(schema).values()
    if isinstance(value, type)
    and issubclass(value, BaseModel)
    and value not in (BaseModel, schema.Strict, schema.Tracked, schema.Versioned, schema.StoredFile)
]


@pytest.mark.parametrize("model", FORMAT_CLASSES, ids=lambda model: model.__name__)
def test_every_field_of_the_format_is_documented(model):
    section = sections().get(model.__name__)
    assert section is not None, f"docs/data-format.md has no section for {model.__name__}"
    documented = set(re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE))
    assert documented == set(model.model_fields)
