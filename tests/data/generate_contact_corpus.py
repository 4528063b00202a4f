"""Writes the two corpora the contact-detail guard is measured on (tests/core/test_contacts.py):

- contact_details.txt: one text a line, each holding at least one contact detail, in the forms
  residents use (full-width and kanji digits, every kind of dash, アット for @, LINE IDs...);
- ordinary_listings.txt: one listing title or description a line, full of what must not be taken
  for a contact detail (sizes, years, model numbers, prices, quantities, dates, times).

Run it again (`.venv/bin/python tests/data/generate_contact_corpus.py`) after changing it; the
output is fixed by the seed; each list ends with the lines of hand_written_contacts.txt and
hand_written_ordinary.txt as they are.
"""

import random
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(16)

FULL = str.maketrans("0123456789-", "０１２３４５６７８９ー")
KANJI = str.maketrans("0123456789-", "〇一二三四五六七八九ー")


def digits(n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def phone() -> str:
    kind = rng.choice(["mobile", "mobile", "mobile", "tokyo", "tama", "free", "ip", "intl", "intl_tokyo"])
    if kind == "mobile":
        parts = [rng.choice(["090", "080", "070"]), digits(4), digits(4)]
    elif kind == "tokyo":
        parts = ["03", digits(4), digits(4)]
    elif kind == "tama":
        parts = [rng.choice(["042", "0422", "044"]), digits(3 if rng.random() < 0.5 else 2), digits(4)]
        parts[1] = parts[1].ljust(6 - len(parts[0]), "5")
    elif kind == "free":
        parts = ["0120", digits(3), digits(3)]
    elif kind == "ip":
        parts = ["050", digits(4), digits(4)]
    elif kind == "intl":
        return rng.choice(["+81 ", "+81-", "+81"]) + rng.choice(["90", "80"]) + rng.choice([" ", "-", ""]) + digits(4) + rng.choice([" ", "-"]) + digits(4)
    else:
        return "+81" + rng.choice(["(0)3", "-3", " 3"]) + "-" + digits(4) + "-" + digits(4)
    style = rng.choice(["hyphen", "hyphen", "space", "dot", "none", "paren", "full", "full", "kanji", "no", "minus"])
    if style == "space":
        return " ".join(parts)
    if style == "dot":
        return ".".join(parts)
    if style == "none":
        return "".join(parts)
    if style == "paren":
        return f"({parts[0]}){parts[1]}-{parts[2]}"
    if style == "full":
        return "-".join(parts).translate(FULL)
    if style == "kanji":
        return "-".join(parts).translate(KANJI)
    if style == "no":
        return "の".join(parts)
    if style == "minus":
        return "−".join(parts)
    return "-".join(parts)


NAMES = ["taro", "hanako.s", "yamada_k", "mama.ginza", "tsukishima22", "k-sato", "haru0512", "akiko.m", "reuse.chuo", "ken_1988"]
DOMAINS = ["gmail.com", "yahoo.co.jp", "docomo.ne.jp", "icloud.com", "ezweb.ne.jp", "softbank.ne.jp", "outlook.jp", "example.net"]


def email() -> str:
    name, domain = rng.choice(NAMES), rng.choice(DOMAINS)
    style = rng.choice(["plain", "plain", "full", "paren", "bracket", "katakana", "words", "spaced"])
    if style == "full":
        return f"{name}＠{domain}"
    if style == "paren":
        return f"{name}(at){domain}"
    if style == "bracket":
        return f"{name}[at]{domain.replace('.', '[dot]')}"
    if style == "katakana":
        return f"{name}アット{domain.replace('.', 'ドット')}"
    if style == "words":
        return f"{name} at {domain.replace('.', ' dot ')}"
    if style == "spaced":
        return f"{name} @ {domain}"
    return f"{name}@{domain}"


TOWNS = ["銀座", "月島", "勝どき", "晴海", "佃", "築地", "日本橋人形町", "八丁堀", "新川", "明石町"]
KANJI_NUM = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def address() -> str:
    town = rng.choice(TOWNS)
    a, b, c = rng.randint(1, 8), rng.randint(1, 30), rng.randint(1, 20)
    style = rng.choice(["hyphen", "hyphen", "full", "kanji", "chome", "banchi", "minus", "building"])
    if style == "full":
        return f"{town}{a}－{b}－{c}".translate(FULL)
    if style == "kanji":
        return f"{town}{KANJI_NUM[a - 1]}丁目{KANJI_NUM[min(b, 10) - 1]}番{KANJI_NUM[min(c, 10) - 1]}号"
    if style == "chome":
        return f"{town}{a}丁目{b}番{c}号"
    if style == "banchi":
        return f"{town}{a}丁目{b}番地"
    if style == "minus":
        return f"{town}{a}−{b}−{c}"
    if style == "building":
        return f"{town}{a}-{b}-{c} {rng.choice(['グリーンハイツ', 'コーポ佃', 'メゾン銀座'])}{rng.randint(1, 9)}0{rng.randint(1, 9)}"
    return f"{town}{a}-{b}-{c}"


def room() -> str:
    floor, no = rng.randint(1, 12), rng.randint(1, 9)
    number = f"{floor}0{no}"
    return rng.choice(
        [
            f"{number}号室",
            f"ハイツ{number}",
            f"サンハイツ {number}",
            f"コーポ晴海{number}",
            f"#{number}",
            f"パークマンション{number}号室",
            f"メゾン月島 {number}",
            f"レジデンス{number}".translate(FULL),
            f"3号棟{number}",
            f"タワー{number}",
        ]
    )


HANDLES = ["taro_reuse", "ginza.mama", "tsuki_shima", "hana1234", "kyoto_ken", "mottainai_k", "aki.home"]


def messenger() -> str:
    handle = rng.choice(HANDLES)
    return rng.choice(
        [
            f"LINE ID: {handle}",
            f"LINEのIDは{handle}",
            f"ライン ID {handle}",
            f"ラインid：{handle}",
            f"ＬＩＮＥ ＩＤ：{handle}",
            f"line id = {handle}",
            f"https://line.me/ti/p/{handle}",
            f"line.me/R/ti/p/@{handle}",
            f"@{handle}",
            f"カカオトークID：{handle}",
            f"ID: {handle}",
            f"ﾗｲﾝのIDは{handle}",
        ]
    )


def social() -> str:
    handle = rng.choice(HANDLES)
    return rng.choice(
        [
            f"https://www.instagram.com/{handle}/",
            f"instagram.com/{handle}",
            f"インスタ @{handle}",
            f"インスタのアカウントは{handle}",
            f"https://x.com/{handle}",
            f"twitter.com/{handle}",
            f"Twitter: @{handle}",
            f"https://www.facebook.com/{handle}",
            f"https://www.tiktok.com/@{handle}",
            f"X @{handle}",
            f"Instagram：{handle}",
            f"https://youtube.com/@{handle}",
        ]
    )


def url() -> str:
    return rng.choice(
        [
            "https://example.com/items/123",
            "http://mottainai-chuo.example.jp",
            "www.example.co.jp/shop",
            "https://bit.ly/3xYzAbc",
            "example.jp/page?id=5",
            "https://forms.gle/abcDEF123",
            "ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｏｍ",
            "https://tinyurl.com/2p8abcd",
            "my-shop.net",
            "https://jmty.jp/tokyo/sale/123",
        ]
    )


CONTACT_SENTENCES = [
    "ご興味のある方は{}までご連絡ください。",
    "引き取りの際は{}に電話をお願いします",
    "詳細は{}で確認してください",
    "受け渡し場所は{}です。",
    "メッセージより{}の方が早く返信できます：",
    "{}へ直接連絡いただければすぐ対応します",
    "平日夜なら{}にいます",
    "質問は{}まで！",
    "取りに来られる方は{}にお越しください",
    "急ぎの方は {} へどうぞ",
    "連絡先 {}",
    "{}（夜はつながりにくいです）",
    "写真はこちら {}",
    "他の出品も{}に載せています",
    "{} に連絡くれたら値段相談します",
    "ベビーカー譲ります。{}まで。",
    "本棚 無料 {}",
    "子供服まとめて。連絡は{}でお願いします。",
]
MAKERS = {
    phone: 70,
    email: 45,
    address: 40,
    room: 30,
    messenger: 35,
    social: 25,
    url: 20,
}


def contact_lines() -> list[str]:
    lines = []
    for maker, count in MAKERS.items():
        for _ in range(count):
            lines.append(rng.choice(CONTACT_SENTENCES).format(maker()))
    return lines + (HERE / "hand_written_contacts.txt").read_text(encoding="utf-8").splitlines()


ITEMS = [
    ("ベビーカー", ["AB-123", "コンビ スゴカル", "アップリカ"]), ("学習机", ["KD-120", "イトーキ"]),
    ("冷蔵庫", ["NR-B17FW", "AQR-17K", "SJ-D15G"]), ("液晶テレビ", ["KJ-43X8000H", "TH-32J300", "4T-C40BJ1"]),
    ("電子レンジ", ["NE-FS300", "ER-S17Y"]), ("自転車", ["24インチ", "26インチ 外装6段"]), ("本棚", ["3段", "5段 幅60cm"]),
    ("ダイニングテーブル", ["4人掛け", "2〜3人用"]), ("子供服", ["90-100cm", "110cm"]), ("絵本", ["10冊セット", "30冊"]),
    ("炊飯器", ["5.5合炊き", "RC-10VSR"]), ("掃除機", ["EC-VS520", "MC-PKL20A"]), ("ソファ", ["2人掛け", "3人掛け 幅180cm"]),
    ("カーテン", ["幅100×丈178cm 2枚", "100×200cm"]), ("ランドセル", ["6年使用", "2018年購入"]), ("扇風機", ["F-CU339", "30cm羽根"]),
    ("布団セット", ["シングル 100×210cm", "ダブル"]), ("ゲーム機", ["HAC-001", "PS4 CUH-2200A"]), ("ギター", ["YAMAHA FG-820", "ミニギター"]),
    ("プリンター", ["EP-882AW", "PX-105"]), ("チャイルドシート", ["0〜4歳", "ISOFIX対応"]), ("電気ケトル", ["1.0L", "T-FAL KO3408JP"]),
    ("スーツケース", ["60L 3〜5泊用", "Mサイズ 64×42×26cm"]), ("着物", ["身丈160cm", "裄65cm"]), ("ノートパソコン", ["Windows 10 Core i5", "13.3インチ"]),
]
YEARS = ["2015", "2018", "2019", "2020", "2021", "2022", "2023", "2024"]
ORDINARY_FRAGMENTS = [
    lambda: f"{rng.choice(YEARS)}年製です。",
    lambda: f"{rng.choice(YEARS)}年に購入しました。",
    lambda: f"サイズは幅{rng.randint(30, 180)}cm×奥行{rng.randint(20, 90)}cm×高さ{rng.randint(40, 200)}cmです。",
    lambda: f"{rng.randint(30, 180)}×{rng.randint(20, 90)}×{rng.randint(40, 200)}cm",
    lambda: f"W{rng.randint(30, 180)} D{rng.randint(20, 90)} H{rng.randint(40, 200)}",
    lambda: f"重さ約{rng.randint(1, 30)}kg。",
    lambda: f"{rng.randint(2, 4)}-{rng.randint(5, 6)}人用です。",
    lambda: f"{rng.randint(6, 12)}/{rng.randint(1, 28)}の{rng.choice(['10:00', '13:30', '15:00', '18:00', '19時'])}以降に受け渡しできます。",
    lambda: f"{rng.choice(YEARS)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}まで掲載します。",
    lambda: f"{rng.choice(YEARS)}.{rng.randint(1, 12)}.{rng.randint(1, 28)}購入",
    lambda: f"{rng.randint(10, 18)}:00-{rng.randint(19, 21)}:00の間なら対応できます。",
    lambda: f"{rng.choice(['土日', '平日夕方', '水曜と金曜', '週末の午前'])}に{rng.choice(TOWNS)}駅の近くで受け渡し希望です。",
    lambda: f"定価{rng.randint(1, 60)},{rng.choice(['000', '500', '800'])}円のものです。",
    lambda: f"¥{rng.randint(1, 9)},{rng.choice(['000', '500'])}でお譲りします。",
    lambda: f"{rng.choice(['500', '1,000', '1000', '2,000', '３００'])}円でお願いします。",
    lambda: "無料です。",
    lambda: f"型番：{rng.choice(['KJ-43X8000H', 'NR-B17FW', 'HAC-001', 'EP-882AW', 'MR-P15E', 'CUH-2200A', 'AR-S25', 'NA-VX800BL'])}",
    lambda: f"JANコード {rng.choice(['4901234567894', '4549980123456', '4902370548495'])}",
    lambda: f"No.{rng.randint(1, 30)}と書いてあります。",
    lambda: f"{rng.randint(2, 12)}個セットです。",
    lambda: f"全{rng.randint(2, 40)}巻そろっています。",
    lambda: f"{rng.randint(1, 5)}年ほど使いました。",
    lambda: f"対象年齢{rng.randint(0, 3)}〜{rng.randint(4, 12)}歳。",
    lambda: f"{rng.choice(['80', '90', '95', '100', '110', '120'])}-{rng.choice(['130', '140'])}cmの子供服です。",
    lambda: "小さな傷がありますが使用に問題ありません。",
    lambda: "喫煙者、ペットはいません。",
    lambda: "説明書と元箱があります。",
    lambda: f"{rng.randint(1, 3)}階まで運べる方でお願いします。エレベーターはありません。",
    lambda: f"{rng.choice(TOWNS)}{rng.choice(['一', '二', '三', '四'])}丁目の公園前で受け渡しできます。",
    lambda: f"単{rng.randint(1, 4)}電池{rng.randint(2, 4)}本で動きます。",
    lambda: f"{rng.choice(['100V', '消費電力1200W', '容量170L', '5.5合', '2口コンロ', '60Hz専用'])}です。",
    lambda: f"ver.{rng.randint(1, 3)}.{rng.randint(0, 9)}にアップデート済み。",
    lambda: f"画面は{rng.choice(['43', '32', '50'])}インチ、{rng.choice(['4K', 'フルHD'])}です。",
    lambda: f"A{rng.randint(3, 5)}サイズのノート{rng.randint(3, 20)}冊。",
    lambda: f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日({rng.choice('月火水木金土日')}) {rng.randint(9, 20)}時ごろ",
    lambda: f"{rng.randint(1, 4)}/{rng.randint(2, 6)}程度の残量です。",
    lambda: f"約{rng.randint(2, 9)}.{rng.randint(1, 9)}m のケーブル付き",
    lambda: f"{rng.randint(6, 12)}/{rng.randint(1, 28)}〜{rng.randint(6, 12)}/{rng.randint(1, 28)}は不在です。",
    lambda: "まとめて引き取っていただける方優先です。",
    lambda: "メッセージでご連絡ください。",
    lambda: f"シリアル番号 {rng.choice(['SN12345678', 'A1B2C3D4', 'X-2040-77'])}",
    lambda: f"{rng.randint(100, 250)}Lの冷蔵庫、{rng.randint(2, 3)}ドアです。",
    lambda: f"パッケージに第{rng.randint(1, 9)}版と書いてあります。",
    lambda: f"外寸 {rng.randint(200, 900)}×{rng.randint(200, 600)}×{rng.randint(100, 400)}mm",
    lambda: f"{rng.randint(1, 3)}-{rng.randint(1, 3)}-{rng.randint(1, 3)}段の組み替え式です",
    lambda: f"@{rng.randint(100, 500)}円×{rng.randint(2, 6)}点",
    lambda: f"{rng.randint(1, 9)}番目の写真の通りです。",
    lambda: f"{rng.randint(0, 1)}{rng.randint(1, 9)}:{rng.randint(1, 5)}0に着きます。",
]


def ordinary_lines(count: int) -> list[str]:
    lines = []
    while len(lines) < count:
        item, models = rng.choice(ITEMS)
        if rng.random() < 0.3:
            lines.append(f"{item} {rng.choice(models)}" + rng.choice(["", " 譲ります", "（美品）", " 無料", "・中古"]))
            continue
        fragments = rng.sample(ORDINARY_FRAGMENTS, rng.randint(2, 5))
        lines.append(f"{item}（{rng.choice(models)}）。" + "".join(f() for f in fragments))
    hand_written = (HERE / "hand_written_ordinary.txt").read_text(encoding="utf-8").splitlines()
    return lines[: count - len(hand_written)] + hand_written


if __name__ == "__main__":
    (HERE / "contact_details.txt").write_text("\n".join(contact_lines()) + "\n", encoding="utf-8")
    (HERE / "ordinary_listings.txt").write_text("\n".join(ordinary_lines(1000)) + "\n", encoding="utf-8")
