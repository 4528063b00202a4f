"""The ward's consultations in the public API (/api/v1/consultations) and their Atom feed: only
published ones, results only once public, and the same figures as the results page and its CSV."""

import csv
import html
import io
import json
import re
from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse

from accounts.models import Town
from consultations import services
from consultations.models import Ballot, Comment
from tests.consultations.conftest import answer_data, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(staff, alice_client, bob_client, settings):
    """An open consultation with two online answers (銀座 and 月島), three paper questionnaires
    (two from 月島, one without a town) and free texts: published, rejected and pending."""
    settings.CONSULTATIONS_MIN_CELL = 2
    consultation = make_consultation(staff)
    url = reverse("consultations:detail", args=[consultation.pk])
    assert alice_client.post(url, answer_data(consultation, text="ベンチを増やしてほしい")).status_code == 302
    assert bob_client.post(url, answer_data(consultation, single=2, multiple=(2,), scale=2, ranking=(0, 1, 2), text="不適切な意見")).status_code == 302
    single, multiple, scale, ranking, text = consultation.questions.order_by("position")
    options = {q.pk: list(q.options.values_list("pk", flat=True)) for q in (single, multiple, ranking)}
    tsukishima = Town.objects.get(name="月島")
    for town, choice, comment in ((tsukishima, 1, "紙の意見です"), (tsukishima, 2, ""), (None, 0, "")):
        answers = {
            str(single.pk): options[single.pk][choice],
            str(multiple.pk): [options[multiple.pk][choice], options[multiple.pk][3]],
            str(scale.pk): choice + 3,
            str(ranking.pk): [options[ranking.pk][choice], options[ranking.pk][(choice + 1) % 3]],
        }
        services.paper_answer_add(actor=staff, consultation=consultation, answers=answers,
                                  comments={text.pk: comment} if comment else {}, town=town)
    services.comment_review(actor=staff, comment=Comment.objects.get(text="ベンチを増やしてほしい"), publish=True)
    services.comment_review(actor=staff, comment=Comment.objects.get(text="不適切な意見"), publish=False)
    return consultation


def test_the_list_shows_published_consultations_only(client, staff):
    shown = make_consultation(staff, title="公開中のアンケート")
    coming = make_consultation(staff, title="これからのアンケート", opens=timedelta(days=2), closes=timedelta(days=9))
    make_consultation(staff, title="下書きのアンケート", publish=False)

    items = client.get("/api/v1/consultations").json()

    assert [item["title"] for item in items] == ["これからのアンケート", "公開中のアンケート"]  # newest opening first
    by_id = {item["id"]: item for item in items}
    assert by_id[shown.pk]["status"] == "open" and by_id[coming.pk]["status"] == "scheduled"
    item = by_id[shown.pk]
    assert item["url"].startswith("http") and item["url"].endswith(f"/consultations/{shown.pk}/")
    assert item["opens_at"].endswith(":00+09:00") and item["towns"] == [] and item["facility"] is None
    assert (item["results_url"], item["csv_url"], item["ballots_online"], item["ballots_paper"]) == (None, None, None, None)


def test_a_draft_or_unknown_id_is_the_apis_json_404(client, staff):
    draft = make_consultation(staff, publish=False)
    for path in (f"/api/v1/consultations/{draft.pk}", f"/api/v1/consultations/{draft.pk + 100}"):
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "No published consultation with this id."}


def test_the_detail_hides_results_until_closing_and_shows_them_after(client, answered, clock):
    path = f"/api/v1/consultations/{answered.pk}"
    data = client.get(path).json()
    assert data["status"] == "open" and data["results"] is None and data["ballots_online"] is None
    assert [q["kind"] for q in data["questions"]] == ["single", "multiple", "scale", "ranking", "text"]
    assert data["questions"][0]["options"] == ["賛成", "どちらともいえない", "反対"]

    clock.move_to(answered.closes_at + timedelta(minutes=1))
    data = client.get(path).json()

    assert data["status"] == "closed" and (data["ballots_online"], data["ballots_paper"]) == (2, 3)
    assert data["results_url"].endswith(f"/consultations/{answered.pk}/results/")
    assert data["csv_url"].endswith(f"/consultations/{answered.pk}/results.csv")
    single, _multiple, scale, ranking, text = data["results"]
    assert single["rows"][0] == {"label": "賛成", "online": 1, "paper": 1, "total": 2, "percent": 40, "mean_rank": None}
    assert scale["mean"] == round((4 + 2 + 3 + 4 + 5) / 5, 2)
    assert all(row["mean_rank"] is not None for row in ranking["rows"]) and ranking["towns"] == []
    assert {town["label"] for town in single["towns"]} == {"月島", "その他の町（合算）"}
    assert text["comments"] == ["ベンチを増やしてほしい"]  # neither the rejected nor the pending one
    assert (text["answered_online"], text["answered_paper"]) == (2, 1)
    listed = {item["id"]: item for item in client.get("/api/v1/consultations").json()}[answered.pk]
    assert (listed["ballots_online"], listed["ballots_paper"], listed["csv_url"]) == (2, 3, data["csv_url"])


def test_live_results_show_while_open(client, answered):
    answered.results_live = True
    answered.save(update_fields=["results_live"])
    data = client.get(f"/api/v1/consultations/{answered.pk}").json()
    assert data["status"] == "open" and data["results"] is not None and data["ballots_paper"] == 3


def test_nothing_personal_is_in_the_answer(client, answered, alice, bob, clock):
    clock.move_to(answered.closes_at + timedelta(minutes=1))
    text = client.get(f"/api/v1/consultations/{answered.pk}").content.decode()
    secrets = [alice.email, bob.email, alice.display_name, bob.display_name, "不適切な意見", "紙の意見です"]
    for ballot in Ballot.objects.all():
        secrets += [str(ballot.pk)] + ([ballot.voter] if ballot.voter else [])
    secrets += [str(comment.pk) for comment in Comment.objects.all()]
    assert [secret for secret in secrets if secret in text] == []


def _page_rows(page: str) -> list[list[str]]:
    """Every table row of the results page: its header cell, then its cells."""
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>((?:\s*<td>.*?</td>)+)', page, flags=re.S)
    return [[html.unescape(label)] + [html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", cells)] for label, cells in rows]


def test_the_api_figures_are_the_results_pages_and_the_csvs(client, answered, clock):
    clock.move_to(answered.closes_at + timedelta(minutes=1))
    data = client.get(f"/api/v1/consultations/{answered.pk}").json()
    kinds = {q["number"]: q["kind"] for q in data["questions"]}

    expected_page = []
    for result in data["results"]:
        for row in result["rows"]:
            cells = [row["label"], str(row["online"]), str(row["paper"]), str(row["total"]), str(row["percent"])]
            if kinds[result["number"]] == "ranking":
                cells.append("–" if row["mean_rank"] is None else str(row["mean_rank"]))
            expected_page.append(cells)
        for town in result["towns"]:
            expected_page.append([town["label"], str(town["answered"])] + [str(count) for count in town["counts"]])
    page = client.get(reverse("consultations:results", args=[answered.pk])).content.decode()
    assert _page_rows(page) == expected_page

    response = client.get(reverse("consultations:results_csv", args=[answered.pk]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    expected_csv = []
    for result in data["results"]:
        rows = result["rows"] or [{"label": "", "online": result["answered_online"], "paper": result["answered_paper"],
                                   "total": result["answered_online"] + result["answered_paper"]}]
        expected_csv += [(str(result["number"]), row["label"], str(row["online"]), str(row["paper"]), str(row["total"])) for row in rows]
    assert [(line["question_number"], line["option"], line["online"], line["paper"], line["total"]) for line in lines] == expected_csv
    means = {line["question_number"]: line["question_mean"] for line in lines}
    assert means["3"] == str(data["results"][2]["mean"])


def test_the_staff_csv_before_closing_agrees_with_the_live_api(staff_client, client, answered):
    answered.results_live = True
    answered.save(update_fields=["results_live"])
    data = client.get(f"/api/v1/consultations/{answered.pk}").json()
    text = staff_client.get(reverse("consultations:results_csv", args=[answered.pk])).content.decode("utf-8").removeprefix("\ufeff")
    totals = [line["total"] for line in csv.DictReader(io.StringIO(text)) if line["option"]]
    assert totals == [str(row["total"]) for result in data["results"] for row in result["rows"]]


def test_conditional_requests_get_304_until_the_figures_change(client, answered, bob_client):
    answered.results_live = True
    answered.save(update_fields=["results_live"])
    path = f"/api/v1/consultations/{answered.pk}"
    first = client.get(path)
    assert first["Cache-Control"].startswith("public") and first.has_header("ETag")
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # Bob changes his answer: no table dates a ballot, yet the ETag changes.
    bob_client.post(reverse("consultations:detail", args=[answered.pk]), answer_data(answered, single=0))
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    head = client.head(path)
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == client.get(path)["ETag"]


def test_the_openapi_schema_lists_both_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/consultations", "/api/v1/consultations/{consultation_id}"} <= schema["paths"].keys()
    detail = schema["paths"]["/api/v1/consultations/{consultation_id}"]["get"]
    assert "404" in detail["responses"] and "draft" in detail["description"]
    assert "consultations" in schema["paths"]["/api/v1/consultations"]["get"]["tags"]


def test_the_feed_lists_published_consultations_and_no_draft(client, staff):
    older = make_consultation(staff, title="公開中のアンケート")
    newer = make_consultation(staff, title="これからのアンケート", opens=timedelta(days=2), closes=timedelta(days=9))
    make_consultation(staff, title="下書きのアンケート", publish=False)

    response = client.get(reverse("mirror:consultations_feed"))

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["これからのアンケート", "公開中のアンケート"]
    entry = feed.entries[1]
    assert entry.link.endswith(f"/consultations/{older.pk}/") and entry.link.startswith("http")
    assert entry.summary.startswith("整備計画（案）")
    assert entry.updated.endswith(":00+09:00")
    assert feed.feed.links[0].href.endswith("/consultations/") and newer.pk != older.pk
    assert json.dumps([e.title for e in feed.entries], ensure_ascii=False).count("下書き") == 0
