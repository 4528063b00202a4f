"""Turn an uploaded photo into clean JPEG renditions for a listing.

Everything a resident uploads is untrusted: the type is decided by decoding, never by the
file name or the declared content type, and only re-encoded pixels leave this module. No
metadata survives (EXIF with GPS, XMP, comments, maker notes); an embedded colour profile is
applied by converting the pixels to sRGB and then dropped, so an iPhone's Display P3 photo
keeps its colours in every browser without us publishing the profile.
"""

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms

from listings.photo_decoding import load_reduced

# Adds the "HEIF" format to Pillow, for photos straight from an iPhone. pillow-heif applies the
# HEIF rotation itself and resets the EXIF orientation to 1, so HEIC needs no transpose here.
pillow_heif.register_heif_opener()

# Pillow format names. "JPEG" also opens multi-picture JPEGs (format "MPO"), which many phones
# write for HDR and depth data; only the first picture is used.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")

JPEG_QUALITY = 82
WHITE = (255, 255, 255)
MEGABYTE = 1024 * 1024

NOT_AN_IMAGE = _("The file is not a supported image (JPEG, PNG, WebP or HEIC).")
EMPTY_FILE = _("The file is empty.")
FILE_TOO_LARGE = _("The file is too large. The maximum size is %(limit)s MB.")
TOO_MANY_PIXELS = _("The image dimensions are too large. The maximum is %(limit)s megapixels.")
DAMAGED_IMAGE = _("The image could not be read. It may be damaged or incomplete.")

# EXIF orientation -> the transpose that makes the picture upright (same table as
# ImageOps.exif_transpose, which we cannot use: it would transpose the full-size image).
ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

# (left, top, right, bottom) of the source area, in the coordinates of a draft-decoded image.
Box = tuple[float, float, float, float]

SRGB_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class ProcessedPhoto:
    display: bytes
    thumbnail: bytes
    width: int
    height: int
    thumb_width: int
    thumb_height: int


def process_photo(upload: BinaryIO, *, max_bytes: int | None = None) -> ProcessedPhoto:
    """Decode an uploaded image, normalise it and return clean JPEG renditions; raise ValidationError with a clear, translatable message otherwise."""
    if max_bytes is None:
        max_bytes = getattr(settings, "LISTING_PHOTO_MAX_BYTES", 15 * MEGABYTE)
    max_pixels = getattr(settings, "LISTING_PHOTO_MAX_PIXELS", 50_000_000)
    display_edge = getattr(settings, "LISTING_PHOTO_DISPLAY_EDGE", 1600)
    thumb_edge = getattr(settings, "LISTING_PHOTO_THUMB_EDGE", 400)

    _check_file_size(upload, max_bytes)
    im = _open(upload, max_pixels)
    try:
        box = _draft(im, display_edge)
        if reduced := load_reduced(im, upload, display_edge):
            im, box = reduced
        else:
            im.load()
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_pixels) from None
    except Exception:
        # Decoders report malformed input with many exception types (OSError for a truncated
        # JPEG, ValueError or RuntimeError from libheif, ...); all mean the same to a resident.
        raise ValidationError(DAMAGED_IMAGE, code="damaged_image") from None

    # Read after load(): a PNG may keep its EXIF after the pixel data, and a failed load must
    # not be retried (Pillow would then return the partial image without complaint).
    orientation = _orientation(im)
    icc_profile = im.info.get("icc_profile")
    im = _normalise_mode(im)
    display = _resize(im, _fit(im.size, display_edge, box), box)
    display = _to_srgb(display, icc_profile)
    display = _flatten(display)
    if transpose := ORIENTATION_TRANSPOSE.get(orientation):
        display = display.transpose(transpose)
    # From the display rendition, not the original: far less work, and the same pixels.
    thumbnail = _resize(display, _fit(display.size, thumb_edge))

    return ProcessedPhoto(
        display=_encode_jpeg(display),
        thumbnail=_encode_jpeg(thumbnail),
        width=display.width,
        height=display.height,
        thumb_width=thumbnail.width,
        thumb_height=thumbnail.height,
    )


def _check_file_size(upload: BinaryIO, max_bytes: int) -> None:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    upload.seek(0)
    if size == 0:
        raise ValidationError(EMPTY_FILE, code="empty_file")
    if size > max_bytes:
        raise ValidationError(
            FILE_TOO_LARGE,
            code="file_too_large",
            params={"limit": f"{max_bytes / MEGABYTE:.1f}".removesuffix(".0")},
        )


def _open(upload: BinaryIO, max_pixels: int) -> Image.Image:
    # Image.open reads only the header, so the pixel count is checked before any pixels are
    # allocated. Pillow's own bomb check (MAX_IMAGE_PIXELS) warns between one and two times its
    # limit; turned into an error here. catch_warnings is process-wide and not thread-safe, which
    # is acceptable because our own, lower max_pixels check below does not depend on it.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(upload, formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(max_pixels) from None
        except Exception:
            # UnidentifiedImageError in the usual case; a hostile header can trip other errors.
            raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    if im.width * im.height > max_pixels:
        raise _too_many_pixels(max_pixels)
    return im


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        TOO_MANY_PIXELS,
        code="too_many_pixels",
        params={"limit": f"{max_pixels / 1_000_000:g}"},
    )


def _orientation(im: Image.Image) -> int:
    try:
        return int(im.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception:
        # The metadata is thrown away anyway; a damaged EXIF block should not cost the photo.
        return 1


def _fit(size: tuple[int, int], edge: int, box: Box | None = None) -> tuple[int, int]:
    """Scale (width, height) so the long edge is at most edge; never upscale."""
    # After draft decoding, the true aspect ratio is the box's, not the rounded-up size's.
    width, height = box[2:] if box else size
    scale = edge / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _draft(im: Image.Image, display_edge: int) -> Box | None:
    # Ask libjpeg to decode at 1/2, 1/4 or 1/8 scale, the smallest that is still at least the
    # display size: this is most of the speed and memory saving for phone photos. The long
    # edge does not change under rotation, so the target computed in stored orientation is
    # right for EXIF orientations 5-8 too, where the displayed width and height are swapped.
    if im.format not in ("JPEG", "MPO"):
        return None
    target = _fit(im.size, display_edge)
    if target == im.size:
        return None
    result = im.draft("RGB", target)
    return result[1] if result else None


def _normalise_mode(im: Image.Image) -> Image.Image:
    # Keep the modes that resize and colour conversion handle well; everything else becomes
    # RGB(A). Palette images must not be resized as they are (Pillow would use NEAREST).
    if im.mode.startswith("I;16"):
        # 16-bit greyscale PNG: Pillow's convert() would clip it to white, so scale it first.
        im = im.convert("I").point(lambda value: value / 256)
    if im.mode != "RGBA" and im.has_transparency_data:
        return im.convert("RGBA")
    if im.mode not in ("RGB", "RGBA", "L", "CMYK"):
        return im.convert("RGB")
    return im


def _resize(im: Image.Image, size: tuple[int, int], box: Box | None = None) -> Image.Image:
    if size == im.size:
        return im
    # reducing_gap=2 (Image.thumbnail's default) first shrinks by a whole factor while the
    # result stays at least twice the target: the 1600 -> 400 thumbnail takes half the time
    # and differs from a plain Lanczos by under one level in 255. Pillow premultiplies alpha
    # for RGBA here, so transparent edges do not pick up dark fringes.
    return im.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=2.0)


def _to_srgb(im: Image.Image, icc_profile: bytes | None) -> Image.Image:
    # Done after the resize: converting 2 megapixels instead of 12 costs a fraction of the time.
    if not icc_profile:
        return im
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if im.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(im, source, SRGB_PROFILE, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken profile or one that does not match the pixels: use the pixels as they are.
        return im


def _flatten(im: Image.Image) -> Image.Image:
    if im.mode == "RGBA":
        background = Image.new("RGB", im.size, WHITE)
        background.paste(im, mask=im.getchannel("A"))
        return background
    return im.convert("RGB") if im.mode != "RGB" else im


def _encode_jpeg(im: Image.Image) -> bytes:
    # Pillow copies some metadata (the JPEG comment, for one) from im.info when saving; start
    # from nothing so only pixels are written. No exif= and no icc_profile= on purpose.
    im.info = {}
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
