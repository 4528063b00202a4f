"""Dates as residents read them: weekday, local (Tokyo) day, and the year only when it is not this
year's. Each test starts at 2030-06-12 10:00 in Tokyo (_in_2030)."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.fixture(autouse=True)
def _in_2030(clock):
    """These dates are written for a clock in 2030 whatever TEST_CLOCK says (.ci/run runs the
    suite at other instants too): "this year" is 2030 here."""
    clock.move_to(datetime(2030, 6, 12, 1, 0, tzinfo=UTC))


def render(source: str, **values) -> str:
    return Template("{% load dates %}" + source).render(Context(values))


@pytest.mark.parametrize("language,expected", [
    ("ja", "12月5日(木) 15:00"),
    ("en", "Thu 5 Dec, 15:00"),
])
def test_a_time_this_year_has_its_weekday_and_no_year(language, expected):
    with translation.override(language):
        assert render("{{ t|when }}", t=datetime(2030, 12, 5, 6, 0, tzinfo=UTC)) == expected


@pytest.mark.parametrize("language,expected", [
    ("ja", "2031年3月3日(月)"),
    ("en", "Mon 3 Mar 2031"),
])
def test_a_day_in_another_year_has_the_year(language, expected):
    with translation.override(language):
        assert render("{{ d|day }}", d=date(2031, 3, 3)) == expected


@pytest.mark.parametrize("language,expected", [
    ("ja", "2031年1月1日(水) 00:30"),
    ("en", "Wed 1 Jan 2031, 00:30"),
])
def test_the_day_and_year_are_tokyos_not_utcs(language, expected):
    new_year_in_tokyo = datetime(2030, 12, 31, 15, 30, tzinfo=UTC)
    with translation.override(language):
        assert render("{{ t|when }}", t=new_year_in_tokyo) == expected
        assert render("{{ t|day }}", t=new_year_in_tokyo) == expected.rsplit(" ", 1)[0].rstrip(",")


def test_the_current_year_follows_the_clock(clock):
    clock.move_to(datetime(2031, 2, 1, 12, 0, tzinfo=UTC))
    with translation.override("ja"):
        assert render("{{ d|day }}", d=date(2031, 3, 3)) == "3月3日(月)"
        assert render("{{ d|day }}", d=date(2030, 12, 5)) == "2030年12月5日(木)"


def test_a_stored_local_time_and_nothing_read_sensibly():
    with translation.override("ja"):
        assert render("{{ t|when }}", t="2030-12-05 15:00") == "12月5日(木) 15:00"
        assert render("[{{ t|when }}]", t=None) == "[]"
        assert render("{{ t|when }}", t="soon") == "soon"
