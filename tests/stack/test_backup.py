"""The backup and restore procedure of docs/DEPLOY.md, run for real: back up the production stack,
restore into a new database and bucket, and find the same listing and the same photo bytes."""

import io
import os
import re
import subprocess
import sys

import boto3
import psycopg
from PIL import Image

from tests.stack.conftest import csrf, sign_up


def test_a_backup_restores_into_an_empty_database_and_bucket(stack, tmp_path):
    sakura = sign_up(stack, "sakura.backup@example.com", "さくら", "104-0053")
    form_url = f"{stack.url}/listings/new/"
    page = sakura.get(form_url, timeout=10).text
    category = re.search(r'<option value="(\d+)"', page[page.index('name="category"'):]).group(1)
    town = re.search(r'<option value="(\d+)" selected', page[page.index('name="town"'):]).group(1)
    photo = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 200, 90)).save(photo, "JPEG")
    sakura.post(form_url, data={
        "csrfmiddlewaretoken": csrf(sakura, form_url), "kind": "offer", "title": "バックアップ確認用の椅子",
        "description": "復元できるか確かめます。", "category": category, "condition": "good", "price": "0", "town": town,
    }, files={"photos": ("chair.jpg", photo.getvalue(), "image/jpeg")}, headers={"Referer": form_url}, timeout=30)

    env = stack.env
    subprocess.run([sys.executable, "deploy/backup.py", "backup", str(tmp_path / "backup")], env=env, check=True, stdout=subprocess.DEVNULL)

    with psycopg.connect(stack.admin_database_url, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "mottainai_restored" WITH (FORCE)')
        conn.execute('CREATE DATABASE "mottainai_restored"')
    s3 = boto3.client("s3", endpoint_url=env["S3_ENDPOINT_URL"], region_name="ap-northeast-1",
                      aws_access_key_id="stack", aws_secret_access_key="stack-secret")
    s3.create_bucket(Bucket="mottainai-restored", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    restored_env = {**env, "DATABASE_URL": stack.database_url("mottainai_restored"), "S3_BUCKET": "mottainai-restored"}
    subprocess.run([sys.executable, "deploy/backup.py", "restore", str(tmp_path / "backup")], env=restored_env, check=True, stdout=subprocess.DEVNULL)
    try:
        with psycopg.connect(stack.database_url("mottainai_restored")) as conn:
            row = conn.execute(
                "SELECT p.image FROM listings_listing l JOIN listings_photo p ON p.listing_id = l.id WHERE l.title = %s",
                ["バックアップ確認用の椅子"],
            ).fetchone()
        assert row is not None
        original = s3.get_object(Bucket="mottainai-media", Key=row[0])["Body"].read()
        copy = s3.get_object(Bucket="mottainai-restored", Key=row[0])["Body"].read()
        assert copy == original and copy.startswith(b"\xff\xd8")
    finally:
        with psycopg.connect(stack.admin_database_url, autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "mottainai_restored" WITH (FORCE)')
    assert os.path.exists(tmp_path / "backup" / "manifest.json")
