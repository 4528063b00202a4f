from django.db import migrations

TEMPLATES = [
    ("出品できない品目", "この品目は本サービスでは出品できません。出品できない品目の一覧をご確認ください。"),
    ("写真が不鮮明", "品物の状態がわかる写真を掲載してください。写真を差し替えて再度お申し込みください。"),
    ("価格が上限を超えている", "価格が上限を超えています。本サービスは営利目的ではありません。価格を見直してください。"),
    ("個人情報の記載", "説明文に住所・電話番号などの個人情報が含まれています。削除してから再度お申し込みください。"),
]


def create(apps, schema_editor):
    ReasonTemplate = apps.get_model("moderation", "ReasonTemplate")
    for position, (title, text) in enumerate(TEMPLATES):
        ReasonTemplate.objects.get_or_create(title=title, defaults={"text": text, "position": position})


class Migration(migrations.Migration):
    dependencies = [("moderation", "0003_reason_templates")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
