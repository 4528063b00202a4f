"""The staff pages of ward consultations (区民アンケート): creating one with every kind of question,
fixing wording after the first answer, documents, publishing, paper answers, the printable
questionnaire, reviewing free texts, the results texts and announcing on LINE."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations import services
from consultations.models import Attachment, Ballot, Comment, Consultation, Question
from core.models import AuditRecord
from notifications.models import SegmentMessage
from tests.consultations.conftest import answer_data, make_consultation
from tests.moderation.test_line_segments import GINZA, TSUKISHIMA, line_api, linked, town  # noqa: F401 (line_api: a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(staff):
    return make_consultation(staff)


def url(name: str, *args) -> str:
    return reverse(f"moderation:{name}", args=args)


def page(response) -> str:
    return response.content.decode()


QUESTIONS = [
    {"kind": "single", "text": "計画に賛成ですか。", "options": "賛成\nどちらともいえない\n反対"},
    {"kind": "multiple", "text": "欲しい設備は。", "options": "遊具\nベンチ\nトイレ", "max_choices": "2"},
    {"kind": "scale", "text": "満足度は。", "scale_low": "不満", "scale_high": "満足"},
    {"kind": "ranking", "text": "優先する順に。", "options": "安全\n緑\n静かさ"},
    {"kind": "text", "text": "ご意見を。", "max_length": "300"},
]


def question_post(client, consultation, data, question=None):
    target = url("consultation_question_edit", consultation.pk, question.pk) if question else url("consultation_question_new", consultation.pk)
    return client.post(target, {"required": "on", "max_length": "400", **data})


def test_staff_create_a_consultation_with_every_kind_of_question_and_publish_it(staff, staff_client):
    response = staff_client.post(url("consultation_new"), {
        "title": "晴海の公園についてのアンケート", "description": "ご意見をお聞かせください。",
        "opens_at": "2031-04-01T09:00", "closes_at": "2031-04-30T17:00", "towns": [town(GINZA).pk],
    })
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == url("consultation", consultation.pk)
    assert consultation.opens_at == datetime(2031, 4, 1, 0, 0, tzinfo=UTC)  # typed in Japan time
    assert list(consultation.towns.all()) == [town(GINZA)] and consultation.created_by == staff
    for data in QUESTIONS:
        assert question_post(staff_client, consultation, data).status_code == 302
    questions = list(consultation.questions.prefetch_related("options"))
    assert [q.kind for q in questions] == ["single", "multiple", "scale", "ranking", "text"]
    assert [o.label for o in questions[0].options.all()] == ["賛成", "どちらともいえない", "反対"]
    assert questions[1].max_choices == 2 and questions[2].scale_high == "満足" and questions[4].max_length == 300
    assert [q.options.count() for q in questions[2:5:2]] == [0, 0]
    detail = page(staff_client.get(url("consultation", consultation.pk)))
    assert "計画に賛成ですか。" in detail and "アンケートを公開する" in detail
    assert staff_client.post(url("consultation_publish", consultation.pk)).status_code == 302
    consultation.refresh_from_db()
    assert consultation.published_at is not None
    assert AuditRecord.objects.filter(action=AuditRecord.Action.CONSULTATION_PUBLISH).count() == 1
    listing = page(staff_client.get(url("consultations")))
    assert "晴海の公園についてのアンケート" in listing and f'href="{url("consultation", consultation.pk)}"' in listing


def test_bad_input_is_refused_in_japanese_and_nothing_is_saved(staff_client):
    response = staff_client.post(url("consultation_new"), {"title": "", "opens_at": "2031-04-30T09:00", "closes_at": "2031-04-01T09:00"})
    assert response.status_code == 200
    assert "このフィールドは必須です。" in page(response)
    assert "受付終了日時" in page(response)
    response = staff_client.post(url("consultation_new"), {"title": "題", "opens_at": "2031-04-30T09:00", "closes_at": "2031-04-01T09:00"})
    assert response.context["form"].errors["closes_at"]
    assert not Consultation.objects.exists() and not AuditRecord.objects.exists()


def test_a_question_without_two_options_keeps_the_draft_unpublished(staff, staff_client):
    consultation = make_consultation(staff, publish=False)
    question_post(staff_client, consultation, {"kind": "single", "text": "一つだけ", "options": "はい"})
    response = staff_client.post(url("consultation_publish", consultation.pk), follow=True)
    assert "「一つだけ」には選択肢が二つ以上必要です。" in page(response)
    consultation.refresh_from_db()
    assert consultation.published_at is None


def test_after_the_first_answer_only_the_wording_can_change(staff, staff_client, consultation):
    services.paper_answer_add(actor=staff, consultation=consultation, answers={}, comments={}, town=None)
    single = consultation.questions.get(kind="single")
    edit_page = page(staff_client.get(url("consultation_question_edit", consultation.pk, single.pk)))
    assert "質問と選択肢の文言の修正だけができます" in edit_page
    response = question_post(staff_client, consultation, {"kind": "single", "text": "計画に賛成ですか。", "options": "賛成\n反対"}, single)
    assert response.status_code == 200 and "質問と選択肢の言葉づかいの修正しかできません" in page(response)
    response = question_post(staff_client, consultation, {"kind": "multiple", "text": "計画に賛成ですか。", "options": "賛成\nどちらとも\n反対"}, single)
    assert response.status_code == 200
    assert list(single.options.values_list("label", flat=True)) == ["賛成", "どちらともいえない", "反対"]
    response = question_post(staff_client, consultation, {"kind": "single", "text": "整備計画に賛成ですか。", "options": "賛成\nどちらともいえない\n反対です"}, single)
    assert response.status_code == 302
    single.refresh_from_db()
    assert single.text == "整備計画に賛成ですか。"
    assert list(single.options.values_list("label", flat=True)) == ["賛成", "どちらともいえない", "反対です"]
    record = AuditRecord.objects.get(action=AuditRecord.Action.CONSULTATION_WORDING)
    assert record.after["text"] == "整備計画に賛成ですか。"
    assert "質問は追加できません" in page(question_post(staff_client, consultation, {"kind": "text", "text": "追加"}))
    response = staff_client.post(url("consultation_question_delete", consultation.pk, single.pk), follow=True)
    assert "質問は削除できません" in page(response)
    assert consultation.questions.count() == 5


def test_a_pdf_is_attached_and_removed_and_other_files_are_refused(staff_client, consultation):
    detail = url("consultation", consultation.pk)
    response = staff_client.post(url("consultation_attachment_add", consultation.pk),
                                 {"file": SimpleUploadedFile("計画案.pdf", b"%PDF-1.4 plan", content_type="application/pdf")}, follow=True)
    assert "「計画案.pdf」を添付しました。" in page(response)
    attachment = Attachment.objects.get()
    response = staff_client.post(url("consultation_attachment_add", consultation.pk),
                                 {"file": SimpleUploadedFile("plan.pdf", b"<html>not a pdf", content_type="application/pdf")}, follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "添付できるのはPDFの資料だけです。" in page(response) and Attachment.objects.count() == 1
    staff_client.post(url("consultation_attachment_delete", consultation.pk, attachment.pk))
    assert not Attachment.objects.exists()
    assert AuditRecord.objects.filter(action=AuditRecord.Action.CONSULTATION_ATTACHMENT).count() == 2


def test_a_paper_answer_is_counted_as_paper_and_audited(staff, staff_client, consultation):
    data = {**answer_data(consultation, text="紙に書かれた意見"), "town": town(TSUKISHIMA).pk}
    response = staff_client.post(url("consultation_paper", consultation.pk), data, follow=True)
    assert "紙の回答はこれまでに1件" in page(response)
    ballot = Ballot.objects.get()
    assert ballot.paper and ballot.voter is None and ballot.town == town(TSUKISHIMA)
    assert Comment.objects.get().text == "紙に書かれた意見"
    record = AuditRecord.objects.get(action=AuditRecord.Action.CONSULTATION_PAPER)
    assert record.actor == staff and record.after == {"paper_answers": 1}
    # a blank question stays blank; an empty questionnaire is refused
    single = consultation.questions.get(kind="single")
    assert staff_client.post(url("consultation_paper", consultation.pk), {f"q{single.pk}": data[f"q{single.pk}"]}).status_code == 302
    response = staff_client.post(url("consultation_paper", consultation.pk), {"town": ""})
    assert "この調査票は空です" in page(response)
    assert Ballot.objects.filter(paper=True).count() == 2


def test_the_printable_questionnaire_lists_every_question_and_option(staff_client, consultation):
    sheet = page(staff_client.get(url("consultation_print", consultation.pk)))
    assert consultation.title in sheet and "お住まいの町名" in sheet and "回答期間" in sheet
    for question in consultation.questions.prefetch_related("options"):
        assert question.text in sheet
        for option in question.options.all():
            assert option.label in sheet
    assert "不満" in sheet and "満足" in sheet and 'class="tick-box"' in sheet and 'class="write-line"' in sheet


def test_a_reviewed_comment_appears_in_the_results(staff, staff_client, alice_client):
    consultation = make_consultation(staff, results_live=True)
    text_question = consultation.questions.get(kind="text")
    services.paper_answer_add(actor=staff, consultation=consultation, answers={}, comments={text_question.pk: "ベンチを増やして"}, town=None)
    services.paper_answer_add(actor=staff, consultation=consultation, answers={}, comments={text_question.pk: "うるさい"}, town=None)
    queue = page(staff_client.get(url("consultation_comments", consultation.pk)))
    assert "ベンチを増やして" in queue and "ご意見をご自由にお書きください。" in queue
    assert page(staff_client.get(url("consultations"))).count(f'{url("consultation_comments", consultation.pk)}">2<') == 1
    keep, drop = Comment.objects.get(text="ベンチを増やして"), Comment.objects.get(text="うるさい")
    staff_client.post(url("consultation_comment_review", consultation.pk, keep.pk), {"decision": "publish"})
    staff_client.post(url("consultation_comment_review", consultation.pk, drop.pk), {"decision": "reject"})
    assert [Comment.objects.get(pk=c.pk).status for c in (keep, drop)] == ["published", "rejected"]
    results = page(alice_client.get(reverse("consultations:results", args=[consultation.pk])))
    assert results.count("ベンチを増やして") == 1 and "うるさい" not in results
    assert "確認待ちの自由記述はありません。" in page(staff_client.get(url("consultation_comments", consultation.pk)))
    assert AuditRecord.objects.filter(action=AuditRecord.Action.CONSULTATION_REVIEW).count() == 2


def test_the_summary_and_the_wards_response_are_saved_and_audited(staff, staff_client, consultation):
    response = staff_client.post(url("consultation_results_text", consultation.pk), {"summary": "賛成が多数でした。", "response": "計画を進めます。"})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.summary, consultation.response) == ("賛成が多数でした。", "計画を進めます。")
    record = AuditRecord.objects.get(action=AuditRecord.Action.CONSULTATION_RESULTS)
    assert record.actor == staff and record.after["response"] == "計画を進めます。"


def test_announcing_sends_the_title_and_link_on_line_to_its_towns(staff, staff_client, alice, bob, line_api, django_capture_on_commit_callbacks, settings):
    linked(alice)
    linked(bob)  # another town
    consultation = make_consultation(staff, towns=[town(GINZA)])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url("consultation_announce", consultation.pk), follow=True)
    assert "1人の住民にお知らせを送信しています。" in page(response)
    (call,) = line_api.received
    body = call.json()
    assert body["to"] == [alice.line_link.line_user_id]
    text = body["messages"][0]["text"]
    assert consultation.title in text and text.endswith(settings.SITE_URL.rstrip("/") + consultation.get_absolute_url())
    consultation.refresh_from_db()
    assert consultation.announced_at is not None
    assert SegmentMessage.objects.get().recipients == 1
    assert AuditRecord.objects.filter(action=AuditRecord.Action.CONSULTATION_ANNOUNCE).get().after == {"recipients": 1}
    assert AuditRecord.objects.filter(action=AuditRecord.Action.LINE_SEGMENT_SEND).count() == 1


def test_without_line_the_button_is_disabled_and_nothing_is_sent(staff_client, consultation):
    detail = page(staff_client.get(url("consultation", consultation.pk)))
    assert "LINEが設定されていない" in detail and "disabled" in detail
    staff_client.post(url("consultation_announce", consultation.pk))
    consultation.refresh_from_db()
    assert consultation.announced_at is None and not SegmentMessage.objects.exists()


def test_the_staff_nav_links_the_consultations(staff_client):
    assert f'href="{url("consultations")}"' in page(staff_client.get(url("home")))
    assert "区民アンケート" in page(staff_client.get(url("home")))


def test_residents_get_403_on_every_staff_consultation_page(staff, alice_client):
    consultation = make_consultation(staff)
    text_question = consultation.questions.get(kind="text")
    services.paper_answer_add(actor=staff, consultation=consultation, answers={}, comments={text_question.pk: "意見"}, town=None)
    attachment = services.attachment_add(actor=staff, consultation=consultation, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    comment = Comment.objects.get()
    pk = consultation.pk
    pages = [
        url("consultations"), url("consultation_new"), url("consultation", pk), url("consultation_edit", pk),
        url("consultation_question_new", pk), url("consultation_question_edit", pk, text_question.pk),
        url("consultation_paper", pk), url("consultation_print", pk), url("consultation_comments", pk),
        url("consultation_results_text", pk),
    ]
    posts = [
        url("consultation_question_delete", pk, text_question.pk), url("consultation_attachment_add", pk),
        url("consultation_attachment_delete", pk, attachment.pk), url("consultation_publish", pk),
        url("consultation_comment_review", pk, comment.pk), url("consultation_announce", pk),
    ]
    for target in pages:
        assert alice_client.get(target).status_code == 403, target
    for target in pages + posts:
        assert alice_client.post(target, {"decision": "publish"}).status_code == 403, target
    assert Comment.objects.get().status == "pending" and Attachment.objects.exists()
    assert Question.objects.filter(pk=text_question.pk).exists()
