"""Demo consultations (区民アンケート), made through consultations.services by the demo staff account:
one open now about a park plan, with a question of every kind, and one closed two weeks ago with
32 answers over the towns (online from demo residents who answered it, a few on paper), its free
texts partly published, a summary and the ward's response, so that its results show charts and a
breakdown by town. Deterministic: the answers come from a seeded random generator."""

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import Town, User
from accounts.services import account_create
from consultations import services
from consultations.models import Comment, Consultation, Question

PARK = {
    "title": "公園再整備計画（案）についての区民アンケート",
    "description": "区では、老朽化した公園の再整備を計画しています（架空の計画です）。\n"
                   "整備計画（案）の内容について、皆さまのご意見をお聞かせください。回答は匿名で集計し、計画づくりの参考にします。",
    "questions": [
        (Question(kind="single", text="整備計画（案）の方向性に賛成ですか。"), ["賛成", "どちらかといえば賛成", "どちらともいえない", "どちらかといえば反対", "反対"]),
        (Question(kind="multiple", text="再整備後の公園に欲しい設備を選んでください。", max_choices=2),
         ["幼児向けの遊具", "日陰のあるベンチ", "きれいなトイレ", "ボール遊びのできる広場", "花壇・緑"]),
        (Question(kind="scale", text="今の公園にどのくらい満足していますか。", scale_low="不満", scale_high="満足"), []),
        (Question(kind="ranking", text="整備で優先してほしい順に並べてください。", required=False), ["安全", "緑の多さ", "静かさ", "使いやすさ"]),
        (Question(kind="text", text="計画（案）へのご意見をご自由にお書きください。", required=False, max_length=400), []),
    ],
}

SORTING = {
    "title": "資源ごみの分別ルール見直しについてのアンケート",
    "description": "プラスチック資源の回収を始めるにあたり、分別ルールの見直し案について区民の皆さまのご意見を伺いました（架空のアンケートです）。",
    "questions": [
        (Question(kind="single", text="プラスチック資源の分別回収を始めることに賛成ですか。"), ["賛成", "どちらともいえない", "反対"]),
        (Question(kind="multiple", text="分別で困っていることを選んでください。", max_choices=3),
         ["出す曜日がわかりにくい", "分け方がわかりにくい", "置き場所がない", "特に困っていない"]),
        (Question(kind="scale", text="今の回収日程はどのくらい便利ですか。", scale_low="不便", scale_high="便利"), []),
        (Question(kind="ranking", text="区に力を入れてほしい順に並べてください。"), ["分別の案内", "回収日の増加", "リユースの推進"]),
        (Question(kind="text", text="分別やリユースについてご意見をお書きください。", required=False), []),
    ],
    "summary": "32件の回答（うち紙の回答4件）をいただきました。プラスチック資源の分別回収には多くの方が賛成で、"
               "分け方のわかりにくさを挙げる方が多くありました。",
    "response": "いただいたご意見を踏まえ、分別の案内をわかりやすくした冊子とアプリでの案内を用意します。"
                "回収日の増加は、回収量の推移を見ながら検討します。",
}

COMMENTS = [
    "分別のイラスト付きの表を配ってほしいです。",
    "マンションの置き場所が狭いので、回収日を増やしてほしい。",
    "リユースの取り組みをもっと広めてほしいです。",
    "外国語の案内もあると助かります。",
    "洗ってから出すのが手間なので、基準をはっきりさせてほしい。",
    "子どもと一緒に分別を学べる機会があるとうれしいです。",
    "回収日をカレンダーで知らせてほしいです。",
    "まだ使える家具を譲れる場所が増えるとよいと思います。",
]
# The closed consultation's ballots: how many from the first town, the second, and the others (spread).
FIRST_TOWN, SECOND_TOWN, OTHER_TOWNS = 12, 10, 10
PAPER = {5, 11, 17, 27}  # which of them came on paper


def _consultation(staff: User, spec: dict, *, opens, closes) -> Consultation:
    consultation = Consultation(title=spec["title"], description=spec["description"], opens_at=opens, closes_at=closes)
    services.consultation_save(actor=staff, consultation=consultation, towns=[])
    for question, options in spec["questions"]:
        question = Question(consultation=consultation, kind=question.kind, text=question.text, help_text=question.help_text,
                            required=question.required, max_choices=question.max_choices, max_length=question.max_length,
                            scale_low=question.scale_low, scale_high=question.scale_high)
        services.question_save(actor=staff, question=question, options=options)
    return services.consultation_publish(actor=staff, consultation=consultation)


def _answers(consultation: Consultation, rng: random.Random, index: int) -> tuple[dict, dict[int, str]]:
    """One plausible set of answers (most in favour), and a free text for every third ballot."""
    answers, comments = {}, {}
    for question in consultation.questions.prefetch_related("options"):
        ids = [option.pk for option in question.options.all()]
        if question.kind == Question.Kind.SINGLE:
            answers[str(question.pk)] = rng.choices(ids, weights=[6, 2, 1][: len(ids)] + [1] * (len(ids) - 3))[0]
        elif question.kind == Question.Kind.MULTIPLE:
            answers[str(question.pk)] = sorted(rng.sample(ids, rng.randint(1, question.max_choices or len(ids))))
        elif question.kind == Question.Kind.SCALE:
            answers[str(question.pk)] = rng.choices(range(1, 6), weights=[1, 2, 4, 5, 3])[0]
        elif question.kind == Question.Kind.RANKING:
            answers[str(question.pk)] = rng.sample(ids, len(ids))
        elif index % 3 == 0:
            comments[question.pk] = COMMENTS[(index // 3) % len(COMMENTS)]
    return answers, comments


def _town_of(index: int, towns: list[Town]) -> Town:
    if index < FIRST_TOWN:
        return towns[0]
    if index < FIRST_TOWN + SECOND_TOWN:
        return towns[1 % len(towns)]
    return towns[2 + index % (len(towns) - 2)] if len(towns) > 2 else towns[-1]


def _voter(index: int, town: Town) -> User:
    """A demo resident of `town` who answered the closed consultation (no password: never signs in)."""
    code = town.postal_codes.order_by("code").values_list("code", flat=True).first()
    return account_create(email=f"kumin{index:02d}@example.com", password=None, display_name=f"区民{index:02d}", postal_code=code)


def load_demo_consultations(residents: list[User], staff: User, *, seed: int = 20261123) -> int:
    """Create the two demo consultations; returns how many answers the closed one has."""
    rng = random.Random(seed)
    now = timezone.now()
    towns = list(Town.objects.filter(postal_codes__isnull=False).distinct())
    park = _consultation(staff, PARK, opens=now - timedelta(days=3), closes=now + timedelta(days=25))
    for resident in residents[1:3]:  # two have answered already; the others can try it
        answers, comments = _answers(park, rng, 1)
        services.answer_submit(user=resident, consultation=park, answers=answers, comments=comments)

    opens, closes = now - timedelta(days=45), now - timedelta(days=14)
    sorting = _consultation(staff, SORTING, opens=opens, closes=closes)
    total = FIRST_TOWN + SECOND_TOWN + OTHER_TOWNS
    for index in range(total):
        town = _town_of(index, towns)
        answers, comments = _answers(sorting, rng, index)
        if index in PAPER:
            services.paper_answer_add(actor=staff, consultation=sorting, answers=answers, comments=comments, town=town)
        else:
            when = opens + timedelta(days=1 + index % 28, hours=index % 9)
            services.answer_submit(user=_voter(index, town), consultation=sorting, answers=answers, comments=comments, now=when)
    for number, comment in enumerate(Comment.objects.filter(ballot__consultation=sorting).order_by("text")):
        if number < 8:  # six published, two kept out; the others wait for review
            services.comment_review(actor=staff, comment=comment, publish=number % 4 != 3)
    services.results_text_save(actor=staff, consultation=sorting, summary=SORTING["summary"], response=SORTING["response"])
    return total
