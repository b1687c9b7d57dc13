"""A database URL's refusal in the user's language (issue 27, point 3), whole, with the
URL redacted: the piece that is wrong named in German and Spanish words."""

from __future__ import annotations

import pytest

from attendance_app.config.database_url import check
from tests.support.translations import language


@pytest.mark.parametrize(("url", "german"), [
    ("postgresql://[::1/attendance", "hat eine [ ohne schließende ]"),
    ("postgresql://[::1]x/attendance", "hat Text nach der ] ihrer IPv6-Adresse"),
    ("postgresql://door:s3cret@server:70000/attendance", "hat einen Port, der keine Zahl"),
    ("mysql://server/attendance", "muss mit postgresql:// beginnen"),
])
def test_a_wrong_url_is_refused_in_german_without_its_password(url: str, german: str) -> None:
    with language("de", "de_DE"), pytest.raises(ValueError) as refused:
        check(url)

    assert german in str(refused.value)
    assert "s3cret" not in str(refused.value) and "\n" not in str(refused.value)


def test_a_wrong_url_is_refused_in_spanish() -> None:
    with language("es", "es_ES"), pytest.raises(ValueError) as refused:
        check("postgresql://[::1/attendance")

    assert "tiene un [ sin su ] de cierre" in str(refused.value)
