"""Photo storage settings: local files by default, a private S3-compatible bucket with S3_BUCKET."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_secret, env_str


MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def static_storage() -> dict:
    """Where static files are collected for a server (STATIC_MANIFEST=1: the image, the systemd
    path, deploy/stack.py), hashed names that browsers may cache for a year, with gzip and brotli
    copies, served by WhiteNoise; in development and tests, plain files from the finders."""
    if env_bool("STATIC_MANIFEST", False):
        return {"BACKEND": MANIFEST_STORAGE}
    return {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def s3_storage(bucket: str) -> dict:
    """The default storage on a private bucket: listings.views.photo checks the listing, then
    redirects to a link signed for LISTING_PHOTO_MAX_AGE seconds (docs/SECURITY.md, Photos)."""
    if env_str("S3_CUSTOM_DOMAIN") or not env_bool("S3_QUERYSTRING_AUTH", True):  # once meant a readable bucket
        raise ImproperlyConfigured("S3_CUSTOM_DOMAIN and S3_QUERYSTRING_AUTH=0 are gone: the photo bucket is private (docs/DEPLOY.md)")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_secret("S3_ACCESS_KEY_ID"),
            "secret_key": env_secret("S3_SECRET_ACCESS_KEY"),
            "querystring_auth": True,
            "signature_version": "s3v4",
            "file_overwrite": False,
            "default_acl": None,
        },
    }


def s3_image_origins(bucket: str) -> list[str]:
    """Where the browser follows a photo's signed redirect: the Content Security Policy's img-src
    must allow it (the bucket's own host, path-style or virtual-hosted)."""
    if not bucket:
        return []
    endpoint = env_str("S3_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    region = env_str("S3_REGION")
    hosts = [f"{bucket}.s3.amazonaws.com"] + ([f"{bucket}.s3.{region}.amazonaws.com"] if region else [])
    return [f"https://{host}" for host in hosts]
