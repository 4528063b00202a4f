"""Demo board: fictional facilities (imported through the real CSV import), threads and replies."""

import csv
import io
from pathlib import Path

from django.conf import settings

from accounts.models import Town, User
from community.facilities import facilities_import
from community.models import Facility, Topic
from community.services import post_reply, thread_create
from moderation.board import official_answer

SAMPLE_CSV = Path(settings.BASE_DIR) / "docs" / "examples" / "facilities.csv"

THREADS = [
    ("D0001", Topic.NURSERIES, "慣らし保育の期間はどれくらいでしたか？", "4月から入園予定です。慣らし保育はどのくらいの期間でしたか？仕事復帰の参考にしたいです。",
     ["うちは2週間でした。子どもの様子を見て少し延びることもあるそうです。", "1週間ほどで通常保育になりました。園の方が丁寧に相談に乗ってくれました。"]),
    ("D0005", Topic.SCHOOLS, "学童の空き状況について", "来年度から学童を利用したいのですが、例年すぐ埋まってしまうのでしょうか。",
     ["低学年は申し込みが多い印象です。早めに区の窓口で確認するのがおすすめです。"]),
    (None, Topic.CHILDCARE, "雨の日に子どもと過ごせる場所", "雨の日に未就学児と過ごせる室内の場所を教えてください。",
     ["児童館の乳幼児向けの時間がおすすめです。", "図書館のおはなし会もよく行きます。"]),
    ("D0009", Topic.FACILITIES, "公園の遊具が新しくなりました", "近くの公園の遊具が新しくなっていました。小さい子向けの滑り台もあります。", []),
]


def sample_facilities_csv() -> bytes:
    """The sample file, moved to the configured municipality when it is another one: each
    fictional facility stands in one of the loaded towns (spread over them), named after it."""
    data = SAMPLE_CSV.read_bytes()
    city = f"{settings.MUNICIPALITY_PREFECTURE}{settings.MUNICIPALITY_CITY}"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    header, body = rows[0], rows[1:]
    if all(row[header.index("地方公共団体名")] == city for row in body):
        return data
    towns = list(Town.objects.filter(postal_codes__isnull=False).distinct())
    column = {name: header.index(name) for name in ("全国地方公共団体コード", "地方公共団体名", "名称", "名称_カナ", "種別", "住所", "緯度", "経度")}
    for index, row in enumerate(body):
        town = towns[index * len(towns) // len(body)]
        row[column["全国地方公共団体コード"]] = ""
        row[column["地方公共団体名"]] = city
        row[column["名称"]] = f"もったいない{town.name}{row[column['種別']]}（架空）"
        row[column["名称_カナ"]] = row[column["緯度"]] = row[column["経度"]] = ""
        row[column["住所"]] = f"{city}{town.name}1-1-1"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    return out.getvalue().encode("utf-8")


def load_demo_board(residents: list[User], staff: User) -> int:
    """Import the sample facilities and write a few threads; returns the number of threads."""
    facilities_import(actor=staff, data=sample_facilities_csv(), filename=SAMPLE_CSV.name)
    by_id = {f.source_key.rsplit("|", 1)[-1]: f for f in Facility.objects.all()}  # the file's ID column
    count = 0
    for index, (facility_id, topic, title, body, replies) in enumerate(THREADS):
        author = residents[index % len(residents)]
        thread = thread_create(author=author, topic=topic, title=title, body=body, facility=by_id.get(facility_id))
        for number, text in enumerate(replies, start=1):
            post_reply(thread=thread, author=residents[(index + number) % len(residents)], body=text)
        count += 1
        if topic == Topic.SCHOOLS:
            official_answer(thread=thread, actor=staff, body="学童クラブの申込時期と空き状況は、区のホームページの「学童クラブ」のページでご案内しています。ご不明な点は子ども家庭支援課までお問い合わせください。")
    return count
