"""Back up, and restore, the two stores that hold data: PostgreSQL and the photo bucket.

    python deploy/backup.py backup  /backups/2026-11-24      # reads DATABASE_URL and S3_* from the environment (or NAME_FILE)
    python deploy/backup.py restore /backups/2026-11-24      # into the (empty) database and bucket of the environment

A backup is a folder: `database.dump` (pg_dump's custom format), `media/` (every object of the
bucket, by key) and `manifest.json` (when, how many objects, their total size). Redis holds
nothing that needs a backup (cache, channel layer, rate limits). Tested by
tests/stack/test_backup.py, which backs up the production stack and restores it elsewhere.
"""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: the repository's config/
from config.env import env_secret, env_str  # noqa: E402  (the same readers as the settings: NAME_FILE works)


def _required(name: str, value: str) -> str:
    if not value:
        raise SystemExit(f"{name} (or {name}_FILE) is not set")
    return value


def _s3():
    return boto3.client(
        "s3", endpoint_url=env_str("S3_ENDPOINT_URL") or None, region_name=env_str("S3_REGION") or None,
        aws_access_key_id=env_secret("S3_ACCESS_KEY_ID") or None, aws_secret_access_key=env_secret("S3_SECRET_ACCESS_KEY") or None,
    )


def _database() -> tuple[str, dict]:
    """DATABASE_URL without its password, and an environment carrying it as PGPASSWORD: a password
    on pg_dump's command line would show in the process list to every user of the machine."""
    url = urlsplit(_required("DATABASE_URL", env_secret("DATABASE_URL")).replace("postgres://", "postgresql://", 1))
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = unquote(url.password)
        host = url.netloc.rsplit("@", 1)[1]
        user = url.username or ""
        url = url._replace(netloc=f"{quote(unquote(user), safe='')}@{host}" if user else host)
    return urlunsplit(url), env


def backup(folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=False)
    url, env = _database()
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(folder / "database.dump"), url], check=True, env=env)
    s3, bucket, count, size = _s3(), _required("S3_BUCKET", env_str("S3_BUCKET")), 0, 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            target = folder / "media" / item["Key"]
            if ".." in Path(item["Key"]).parts:
                raise ValueError(f"refusing an object key outside the folder: {item['Key']}")
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(bucket, item["Key"], str(target))
            count, size = count + 1, size + item["Size"]
    manifest = {"created_at": datetime.now(UTC).isoformat(), "objects": count, "bytes": size}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text())
    url, env = _database()
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", url, str(folder / "database.dump")], check=True, env=env)
    s3, bucket, count = _s3(), _required("S3_BUCKET", env_str("S3_BUCKET")), 0
    media = folder / "media"
    for path in sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []:
        s3.upload_file(str(path), bucket, path.relative_to(media).as_posix(), ExtraArgs={"ContentType": "image/jpeg"})
        count += 1
    if count != manifest["objects"]:
        raise RuntimeError(f"restored {count} objects, the backup lists {manifest['objects']}")
    return {**manifest, "restored_objects": count}


if __name__ == "__main__":
    action, folder = sys.argv[1], Path(sys.argv[2])
    print(json.dumps((backup if action == "backup" else restore)(folder), indent=2))
