"""The one page of notification settings, as a resident uses it."""

import pytest
from django.urls import reverse

from notifications.models import Event, Preference
from notifications.selectors import chosen_channels

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    data = {"quiet_enabled": "on", "quiet_start": "22:00", "quiet_end": "07:00", "alerts_daily_cap": "5",
            "message_email": "on", "message_push": "on", "reserved_email": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_page_shows_every_event_and_channel_in_japanese(alice_client):
    page = alice_client.get(reverse("notifications:settings")).content.decode()
    for words in ["新しいメッセージ", "自分への取り置き", "抽選の結果", "保存した検索条件に合う新着", "メール", "プッシュ通知", "通知しない時間帯",
                  "1日のまとめに載せる新着の件数（上限）"]:
        assert words in page
    assert 'name="alerts_daily_cap" value="5"' in page
    assert "<legend>新しいメッセージ</legend>" in page
    assert 'value="22:00"' in page and 'value="07:00"' in page


def test_saving_choices_and_quiet_hours(alice, alice_client):
    response = alice_client.post(reverse("notifications:settings"), form_data(quiet_start="23:00", quiet_end="06:30", alerts_daily_cap="12"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert chosen_channels(alice, Event.MESSAGE) == {"email", "push"}
    assert chosen_channels(alice, Event.LOTTERY) == set()
    assert chosen_channels(alice, Event.DECISION) == set()
    assert alice.notify_listings is False  # the profile page's switch is the same setting
    preference = Preference.objects.get(user=alice)
    assert (preference.quiet_start.strftime("%H:%M"), preference.quiet_end.strftime("%H:%M")) == ("23:00", "06:30")
    assert preference.alerts_daily_cap == 12
    page = alice_client.get(reverse("notifications:settings")).content.decode()
    assert "通知の設定を保存しました。" in page


@pytest.mark.parametrize("changes, error", [
    ({"quiet_end": "7時"}, "時間を正しく入力してください。"),
    ({"quiet_start": "25:00"}, "時間を正しく入力してください。"),
    ({"alerts_daily_cap": "0"}, "この値は 1 以上でなければなりません。"),
    ({"alerts_daily_cap": "101"}, "この値は 100 以下でなければなりません。"),
    ({"alerts_daily_cap": "五"}, "整数を入力してください。"),
    ({"alerts_daily_cap": None}, "このフィールドは必須です。"),
])
def test_a_wrong_value_is_explained_and_nothing_is_saved(alice_client, changes, error):
    response = alice_client.post(reverse("notifications:settings"), form_data(**changes))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Preference.objects.exists()


def test_ward_news_on_line_is_off_until_the_resident_opts_in_with_interests(alice, alice_client, settings):
    from listings.models import Category
    from notifications.models import LineLink

    settings.LINE_MESSAGING_CHANNEL_TOKEN, settings.LINE_MESSAGING_CHANNEL_SECRET = "token", "secret"
    page = alice_client.get(reverse("notifications:settings")).content.decode()
    assert "区からのお知らせ（LINE）" in page and "連携するまでは何も届きません。" in page
    assert 'name="line_news" id="id_line_news"' in page and "checked" not in page.split('name="line_news"')[1].split(">")[0]
    furniture, books = Category.objects.get(slug="furniture"), Category.objects.get(slug="books")
    response = alice_client.post(reverse("notifications:settings"), form_data(line_news="on", line_categories=[furniture.pk, books.pk]))
    assert response.status_code == 302
    preference = Preference.objects.get(user=alice)
    assert preference.line_news is True and sorted(preference.line_categories) == sorted([furniture.pk, books.pk])
    LineLink.objects.create(user=alice, line_user_id="U" + "d" * 32)
    page = alice_client.get(reverse("notifications:settings")).content.decode()
    assert "連携するまでは何も届きません。" not in page
    response = alice_client.post(reverse("notifications:settings"), form_data(line_categories=["999999"]))
    assert response.status_code == 200 and Preference.objects.get(user=alice).line_news is True  # an unknown interest saves nothing
