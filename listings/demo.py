"""Demo data for the development command: accounts, listings in every category, kind and town,
with generated photos. Fictional throughout; example.com addresses only."""

import io
import random
from datetime import timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from accounts.models import STAFF_GROUP, Town, User
from accounts.services import account_create
from listings.lifecycle import Action
from listings.models import Category, Listing
from listings.photos import process_photo
from listings.services import ListingData, listing_create, listing_transition

DEMO_PASSWORD = "mottainai-demo"
# The demo staff account's authenticator secret (add it to an authenticator app, or run
# `python manage.py demo_totp` for the current code). Demo data only.
DEMO_TOTP_SECRET = "MOTTAINAIDEMOSTAFFTOTP234567ABCD"
# Named after the configured office (staff see it; residents see the office itself).
STAFF_EMAIL = "staff@example.com"
# The demo residents live in towns spread over the loaded municipality (demo_postal_codes).
RESIDENTS = [
    ("hanako@example.com", "はなこ"),
    ("taro@example.com", "たろう"),
    ("sakura@example.com", "さくら"),
    ("ken@example.com", "けん"),
]

ITEMS = {
    "furniture": ["本棚", "木製の椅子", "ダイニングテーブル", "2人掛けソファ", "カラーボックス", "学習机", "衣装ケース", "ローテーブル"],
    "appliances": ["電子レンジ", "炊飯器（3合）", "扇風機", "掃除機", "トースター", "電気ケトル", "加湿器", "小型冷蔵庫"],
    "baby-kids": ["ベビーカー", "チャイルドシート", "ベビーベッド", "絵本セット", "子ども用自転車", "ランドセル", "抱っこ紐", "子ども服 100cm"],
    "clothing": ["冬用コート", "着物", "スーツ", "浴衣", "子ども用レインコート", "ニットセーター"],
    "kitchen": ["食器セット", "鍋とフライパン", "保存容器", "グラス6個", "土鍋", "弁当箱"],
    "books": ["小説まとめて", "料理本", "図鑑", "英語の参考書", "漫画 全巻", "旅行ガイド"],
    "sports-leisure": ["ヨガマット", "テニスラケット", "自転車用ヘルメット", "キャンプ用テント", "スキー板", "バドミントンセット"],
    "hobbies-instruments": ["アコースティックギター", "電子キーボード", "プラモデル", "毛糸セット", "書道セット", "ボードゲーム"],
    "other": ["傘立て", "植木鉢", "スーツケース", "額縁", "カーテン", "収納ボックス"],
}
DESCRIPTIONS = [
    "引っ越しのため譲ります。{town}で受け渡しできる方にお願いします。",
    "子どもが大きくなり使わなくなりました。まだまだ使えます。",
    "数回使用しただけのきれいな状態です。平日夜か週末に{town}で受け渡しできます。",
    "少し傷がありますが問題なく使えます。写真をご確認ください。",
    "大切に使ってきました。次の方に使っていただけたら嬉しいです。",
]
WANTED_DESCRIPTIONS = [
    "探しています。{town}周辺で受け取りに伺えます。",
    "子どもの成長に合わせて必要になりました。状態は問いません。",
    "短期間だけ使いたいので、譲っていただける方を探しています。",
]
PALETTE = [(176, 132, 92), (92, 128, 160), (204, 96, 80), (96, 150, 110), (222, 190, 120), (130, 110, 170), (60, 60, 70)]


def demo_loaded() -> bool:
    return User.objects.filter(email=STAFF_EMAIL).exists()


def demo_photo(rng: random.Random) -> io.BytesIO:
    """A photo-like JPEG: a lit room corner with an object on the floor, slightly blurred."""
    width, height = 1200, 900
    wall = tuple(rng.randint(200, 240) for _ in range(3))
    floor = tuple(rng.randint(120, 180) for _ in range(3))
    image = Image.new("RGB", (width, height), wall)
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(520, 640)
    for y in range(horizon, height):  # floor with a gradient, as under a ceiling light
        shade = (y - horizon) / (height - horizon)
        draw.line([(0, y), (width, y)], fill=tuple(int(c * (1 - 0.35 * shade)) for c in floor))
    colour = rng.choice(PALETTE)
    left = rng.randint(200, 450)
    top = rng.randint(180, 380)
    right = left + rng.randint(320, 560)
    bottom = horizon + rng.randint(40, 160)
    draw.ellipse([left - 20, bottom - 30, right + 40, bottom + 40], fill=(70, 70, 70))  # shadow
    shape = rng.choice(["box", "round", "tall"])
    if shape == "round":
        draw.ellipse([left, top, right, bottom], fill=colour, outline=(40, 40, 40), width=4)
    elif shape == "tall":
        draw.rounded_rectangle([left + 80, top - 120, right - 80, bottom], radius=24, fill=colour, outline=(40, 40, 40), width=4)
    else:
        draw.rectangle([left, top, right, bottom], fill=colour, outline=(40, 40, 40), width=4)
        draw.line([(left, top + 60), (right, top + 60)], fill=(40, 40, 40), width=3)
    highlight = tuple(min(255, c + 50) for c in colour)
    draw.rectangle([left + 20, top + 20, left + 60, bottom - 20], fill=highlight)
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    image = Image.blend(image, noise, 0.06)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    buffer.seek(0)
    return buffer


def demo_postal_codes(count: int) -> list[str]:
    """`count` home postal codes of the loaded municipality (manage.py load_towns), each in
    another town where there are enough, spread over the towns in the order of their reading."""
    towns = list(Town.objects.filter(postal_codes__isnull=False).distinct())
    if not towns:
        raise ValueError("No towns are loaded: run `python manage.py load_towns` first.")
    picked = [towns[index * len(towns) // count] for index in range(count)]
    return [town.postal_codes.order_by("code").values_list("code", flat=True).first() for town in picked]


def _account(email: str, name: str, postal_code: str | None, *, staff: bool = False) -> User:
    return account_create(email=email, password=DEMO_PASSWORD, display_name=name, postal_code=postal_code, is_staff=staff)


@transaction.atomic
def load_demo(*, listings: int = 240, seed: int = 20261123) -> dict:
    """Create the demo accounts and `listings` listings. Call only when demo_loaded() is False."""
    rng = random.Random(seed)
    codes = demo_postal_codes(len(RESIDENTS))
    office = f"{settings.MUNICIPALITY_CITY} {settings.ENVIRONMENT_OFFICE_NAME}"[:30]
    staff = _account(STAFF_EMAIL, office, codes[0], staff=True)
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    TOTP.activate(staff, DEMO_TOTP_SECRET)  # staff pages need two-factor authentication
    residents = [_account(email, name, code) for (email, name), code in zip(RESIDENTS, codes, strict=True)]
    categories = list(Category.objects.filter(is_active=True))
    towns = list(Town.objects.filter(postal_codes__isnull=False).distinct())
    photo_pool = [process_photo(demo_photo(rng)) for _ in range(36)]  # shared renditions keep it quick
    now = timezone.now()
    created = []
    for i in range(listings):
        category = categories[i % len(categories)]
        town = towns[i % len(towns)]
        kind = Listing.Kind.WANTED if i % 5 == 4 else Listing.Kind.OFFER
        name = rng.choice(ITEMS.get(category.slug, ITEMS["other"]))
        template = rng.choice(WANTED_DESCRIPTIONS if kind == Listing.Kind.WANTED else DESCRIPTIONS)
        data = ListingData(
            kind=kind,
            title=f"{name}を探しています" if kind == Listing.Kind.WANTED else name,
            description=template.format(town=town.name),
            category=category,
            condition=Listing.Condition.ANY if kind == Listing.Kind.WANTED else rng.choice(
                [c for c in Listing.Condition.values if c != Listing.Condition.ANY]
            ),
            price=0 if rng.random() < 0.6 or kind == Listing.Kind.WANTED else rng.choice([100, 300, 500, 1000, 2000, 3000]),
            town=town,
        )
        photo_count = 0 if (kind == Listing.Kind.WANTED or rng.random() < 0.12) else rng.randint(1, 3)
        photos = rng.sample(photo_pool, photo_count)
        owner = residents[i % len(residents)]
        listing = listing_create(owner=owner, data=data, photos=photos, publish=i % 40 != 39, check_rate=False)
        roll = rng.random()
        if listing.status == Listing.Status.PUBLISHED and roll < 0.06:
            listing = listing_transition(listing=listing, action=Action.RESERVE, actor=owner)
        elif listing.status == Listing.Status.PUBLISHED and roll < 0.25:
            listing = listing_transition(listing=listing, action=Action.HAND_OVER, actor=owner)
        if listing.status == Listing.Status.HANDED_OVER:
            # Handed over some time in the past year, so that the impact figures have a history.
            published = now - timedelta(days=rng.uniform(5, 330), minutes=i)
            Listing.objects.filter(pk=listing.pk).update(
                created_at=published - timedelta(hours=1), published_at=published, first_published_at=published,
                expires_at=published + timedelta(days=90), status_changed_at=published + timedelta(days=rng.uniform(1, 14)),
            )
        elif listing.published_at:
            published = now - timedelta(days=rng.uniform(0, 60), minutes=i)
            Listing.objects.filter(pk=listing.pk).update(
                created_at=published - timedelta(hours=1), published_at=published, first_published_at=published,
                expires_at=published + timedelta(days=90),
            )
        created.append(listing)
    return {"staff": staff, "residents": residents, "listings": len(created)}
