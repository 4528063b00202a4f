import feedparser
import pytest
from django.urls import reverse

from accounts.models import Town
from listings.lifecycle import Action
from listings.models import Category, Listing
from listings.services import listing_transition
from tests.factories import make_listing


@pytest.mark.django_db
def test_the_atom_feed_is_valid_and_carries_thumbnail_town_price_and_link(client, alice):
    shelf = make_listing(alice, title="本棚", photos=1, price=500)
    make_listing(alice, title="下書き", publish=False)
    response = client.get("/feeds/listings.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title and feed.feed.id and feed.feed.updated
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.title == "本棚（銀座・500円）"
    assert entry.link.endswith(f"/listings/{shelf.pk}/") and entry.id and entry.updated
    assert "銀座" in [t.term for t in entry.tags]
    enclosure = [link for link in entry.links if link.rel == "enclosure"][0]
    assert enclosure.type == "image/jpeg" and enclosure.href.endswith(".jpg") and int(enclosure.length) > 0
    assert "<img" in entry.summary


@pytest.mark.django_db
def test_the_feed_takes_the_api_filters(client, alice):
    make_listing(alice, title="本棚", kind="offer")
    make_listing(alice, title="ベビーカー探しています", kind="wanted", town=Town.objects.get(name="月島"))
    titles = lambda q: [e.title.split("（")[0] for e in feedparser.parse(client.get(f"/feeds/listings.atom?{q}").content).entries]
    assert titles("kind=wanted") == ["ベビーカー探しています"]
    assert titles(f"town={Town.objects.get(name='月島').pk}") == ["ベビーカー探しています"]
    assert titles("category=furniture") == ["ベビーカー探しています", "本棚"]  # newest first
    assert set(titles("kind=bogus&town=abc")) == {"本棚", "ベビーカー探しています"}  # bad filters are ignored


@pytest.mark.django_db
def test_the_widget_shows_listings_without_cookies_and_opens_links_in_a_new_tab(client, alice):
    make_listing(alice, title="本棚", photos=1)
    response = client.get("/embed/listings?limit=3")
    page = response.content.decode()
    assert response.status_code == 200 and "本棚" in page
    assert not response.cookies
    assert 'target="_blank"' in page and 'rel="noopener"' in page
    assert "<script" not in page
    assert "X-Frame-Options" not in response


@pytest.mark.django_db
def test_only_the_configured_ward_origins_may_frame_the_widget(client, settings):
    policy = client.get("/embed/listings")["Content-Security-Policy"]
    frame = [d for d in policy.split(";") if "frame-ancestors" in d][0]
    assert "'self'" in frame
    assert "evil" not in frame
    assert client.get("/")["X-Frame-Options"] == "DENY"  # the rest of the site is never framed


@pytest.mark.django_db
def test_the_widget_respects_filters_and_limit(client, alice):
    for i in range(5):
        make_listing(alice, title=f"品{i}")
    wanted = make_listing(alice, title="探しています", kind="wanted")
    assert client.get("/embed/listings?limit=2").content.decode().count('class="widget-item"') == 2
    page = client.get("/embed/listings?kind=wanted").content.decode()
    assert "探しています" in page and "品0" not in page
    listing_transition(listing=wanted, action=Action.WITHDRAW, actor=alice)
    assert "探しています" not in client.get("/embed/listings?kind=wanted").content.decode()


@pytest.mark.django_db
def test_the_embed_builder_makes_a_snippet_from_the_chosen_filters(staff_client):
    page = staff_client.get(reverse("mirror_staff:embed_builder"), {"kind": "offer", "free": "1", "limit": "4"}).content.decode()
    assert "&lt;iframe src=&quot;http://127.0.0.1:8000/embed/listings?kind=offer&amp;amp;free=1&amp;amp;limit=4" in page or \
        "/embed/listings?kind=offer&amp;free=1&amp;limit=4" in page
    assert 'id="embed-preview"' in page


# What residents paste from Word or Excel: bell, vertical tab (a line break inside an Excel cell),
# form feed, escape, delete, backspace and a noncharacter. Written straight to the database, as
# older rows may hold them whatever the listing form accepts today.
PASTED = "\x07\x0b\x0c\x1b\x7f\x08\ufffe"


@pytest.mark.django_db
def test_control_characters_in_a_listing_do_not_break_the_feed(client, alice):
    shelf = make_listing(alice, title="本棚")
    Listing.objects.filter(pk=shelf.pk).update(title=f"本{PASTED}棚", description=f"一行目\x0b二行目{PASTED}")
    Category.objects.filter(slug="furniture").update(name_ja=f"家{PASTED}具")
    Town.objects.filter(name="銀座").update(name=f"銀{PASTED}座")
    response = client.get("/feeds/listings.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    entry = feed.entries[0]
    assert entry.title.startswith("本\n\n棚（銀\n\n座")  # vertical tab and form feed become line breaks
    assert {"家\n\n具", "銀\n\n座"} <= {t.term for t in entry.tags}
    assert "一行目" in entry.summary and "二行目" in entry.summary
    for char in "\x07\x1b\x7f\x08\ufffe":
        assert char not in response.content.decode()


@pytest.mark.django_db
def test_control_characters_reach_the_api_as_valid_json_and_the_widget_still_renders(client, alice):
    shelf = make_listing(alice, title="本棚")
    Listing.objects.filter(pk=shelf.pk).update(title=f"本{PASTED}棚")
    api = client.get("/api/v1/listings")
    assert api.status_code == 200
    assert api.json()["items"][0]["title"] == f"本{PASTED}棚"  # JSON escapes them; nothing is lost
    widget = client.get("/embed/listings")
    assert widget.status_code == 200
    assert "本" in widget.content.decode() and "\x1b" not in widget.content.decode()


@pytest.mark.django_db
def test_the_feed_names_itself_with_site_url_and_its_filters(client, alice, settings):
    settings.SITE_URL = "https://mottainai.example.jp:8107"
    make_listing(alice, title="本棚")
    town = Town.objects.get(name="月島").pk
    filtered = feedparser.parse(client.get(f"/feeds/listings.atom?town={town}&kind=wanted&bogus=1&free=on").content).feed
    plain = feedparser.parse(client.get("/feeds/listings.atom").content).feed
    self_link = [link.href for link in filtered.links if link.rel == "self"][0]
    assert self_link == f"https://mottainai.example.jp:8107/feeds/listings.atom?kind=wanted&town={town}&free=1"
    assert filtered.id == self_link
    assert [link.href for link in filtered.links if link.rel == "alternate"][0] == \
        f"https://mottainai.example.jp:8107/listings/?kind=wanted&town={town}&free=on"
    assert [link.href for link in plain.links if link.rel == "self"][0] == "https://mottainai.example.jp:8107/feeds/listings.atom"
    assert plain.id != filtered.id


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,heading",
    [
        ("kind=offer", "中央区にお住まいの方が譲る品物"),
        ("kind=wanted", "中央区にお住まいの方が探している品物"),
        ("", "中央区の不用品交換の新着"),
        ("kind=wanted&lang=en", "Items residents of {city_en} are looking for"),
        ("kind=offer&lang=en", "Items residents of {city_en} are giving away"),
    ],
)
def test_the_widget_heading_follows_the_kind_and_the_lang_parameter(client, alice, settings, query, heading):
    make_listing(alice, title="本棚", kind="wanted")
    heading = heading.format(city_en=settings.MUNICIPALITY_NAME_EN)
    page = client.get(f"/embed/listings?{query}").content.decode()
    assert f'<h1 class="widget-title">{heading}</h1>' in page


@pytest.mark.django_db
def test_the_widget_is_japanese_whatever_the_visitors_browser_says_unless_lang_is_given(client, alice):
    make_listing(alice, title="本棚", price=0)
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    japanese = client.get("/embed/listings", **english_browser)
    assert '<html lang="ja">' in japanese.content.decode() and "無料" in japanese.content.decode()
    assert japanese["Content-Language"] == "ja"
    english = client.get("/embed/listings?lang=en", HTTP_ACCEPT_LANGUAGE="ja")
    assert '<html lang="en">' in english.content.decode() and "Free" in english.content.decode()
    assert english["Content-Language"] == "en"
    assert '<html lang="ja">' in client.get("/embed/listings?lang=fr").content.decode()  # unknown: the default


@pytest.mark.django_db
def test_a_limit_above_the_cap_shows_the_cap_in_the_widget_and_the_snippet(client, staff_client, alice):
    for i in range(52):
        make_listing(alice, title=f"品{i}")
    assert client.get("/embed/listings?limit=80").content.decode().count('class="widget-item"') == 50
    page = staff_client.get(reverse("mirror_staff:embed_builder"), {"limit": "80"}).content.decode()
    assert "/embed/listings?limit=50" in page and "/embed/listings?limit=80" not in page
    assert 'name="limit" id="id_limit" min="1" max="50" step="1" inputmode="numeric" value="50"' in page
    assert '<p class="help" id="id_limit_helptext" role="status">ウィジェットに表示できるのは1〜50件です' in page


@pytest.mark.django_db
def test_the_embed_builder_has_keywords_language_and_a_copy_button_without_inline_script(staff_client):
    page = staff_client.get(reverse("mirror_staff:embed_builder"), {"q": "ベビー カー", "kind": "wanted", "lang": "en"}).content.decode()
    assert 'name="q"' in page and 'value="ベビー カー"' in page
    assert "/embed/listings?q=%E3%83%99%E3%83%93%E3%83%BC+%E3%82%AB%E3%83%BC&amp;amp;kind=wanted&amp;amp;limit=6&amp;amp;lang=en" in page
    assert 'name="lang"' in page
    assert 'id="copy-snippet"' in page
    assert "<script>" not in page and "onclick" not in page  # CSP: scripts only from files


@pytest.mark.django_db
def test_the_feed_says_what_the_widget_says_about_kind_price_and_reservation(client, alice):
    wanted = make_listing(alice, title="ベビーカー探しています", kind="wanted", price=0, town=Town.objects.get(name="月島"))
    shelf = make_listing(alice, title="本棚", price=0)
    listing_transition(listing=shelf, action=Action.RESERVE, actor=alice)
    # An English browser changes nothing: the feed is Japanese, like the ward's site.
    entries = {e.link.rsplit("/", 2)[-2]: e for e in
               feedparser.parse(client.get("/feeds/listings.atom", HTTP_ACCEPT_LANGUAGE="en").content).entries}
    wanted_entry, shelf_entry = entries[str(wanted.pk)], entries[str(shelf.pk)]
    assert wanted_entry.title == "ベビーカー探しています（譲ってください・月島）"
    assert "無料" not in wanted_entry.summary and "譲ってください" in wanted_entry.summary
    assert shelf_entry.title == "本棚（銀座・無料・取り置き中）"
    assert "取り置き中" in shelf_entry.summary and "譲ります" in shelf_entry.summary

    widget = client.get("/embed/listings").content.decode()
    assert "譲ってください · 月島</span>" in widget  # no "free" on something a resident is looking for
    assert "譲ります · 銀座 · 無料 · 取り置き中</span>" in widget
