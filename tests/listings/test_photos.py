import io
import struct
import zlib

import pillow_heif
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageCms

from listings.photos import process_photo

RED = (255, 0, 0)
BLUE = (0, 0, 255)


def image_bytes(im: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, format, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def photo_with_red_corner(size: tuple[int, int]) -> Image.Image:
    """Blue picture whose stored top-left corner is red, to see where rotation puts it."""
    im = Image.new("RGB", size, BLUE)
    im.paste(RED, (0, 0, size[0] // 4, size[1] // 4))
    return im


def jpeg_segments(data: bytes) -> list[int]:
    """Marker codes of the JPEG segments before the image data."""
    assert data[:2] == b"\xff\xd8"
    markers, position = [], 2
    while True:
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return markers
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length


def assert_clean_jpeg(data: bytes) -> Image.Image:
    markers = jpeg_segments(data)
    # Only APP0 (JFIF) may remain: APP1 is EXIF/XMP, APP2 ICC, APP13 IPTC; 0xFE is a comment.
    assert [m for m in markers if 0xE1 <= m <= 0xEF or m == 0xFE] == []
    im = Image.open(io.BytesIO(data))
    assert im.format == "JPEG"
    assert im.mode == "RGB"
    assert not im.getexif()
    return im


def assert_refused(data: bytes, code: str, **kwargs) -> list[str]:
    """Assert the upload is refused with code; return the messages in English."""
    with pytest.raises(ValidationError) as excinfo:
        process_photo(upload(data), **kwargs)
    assert excinfo.value.code == code
    # The project's default language is Japanese; the source strings are English.
    with translation.override("en"):
        return excinfo.value.messages


def is_close(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour, expected))


def crafted_png_header(width: int, height: int) -> bytes:
    """A PNG that claims the given dimensions but carries almost no pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def phone_exif(orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (35.0, 41.0, 22.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (139.0, 41.0, 30.0)
    return exif.tobytes()


def phone_jpeg(size: tuple[int, int], orientation: int = 1, **options) -> bytes:
    exif = phone_exif(orientation)
    return image_bytes(photo_with_red_corner(size), "JPEG", exif=exif, quality=90, **options)


def test_it_strips_gps_exif_and_comments():
    original = phone_jpeg(
        (400, 300), comment=b"Taken at my home address", xmp=b"<x:xmpmeta>secret</x:xmpmeta>"
    )
    source = Image.open(io.BytesIO(original))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert source.info["comment"] == b"Taken at my home address"

    photo = process_photo(upload(original))

    for data in (photo.display, photo.thumbnail):
        im = assert_clean_jpeg(data)
        assert "comment" not in im.info
        assert b"home address" not in data
        assert b"xmpmeta" not in data


def test_it_applies_exif_orientation():
    photo = process_photo(upload(phone_jpeg((400, 300), orientation=6)))

    # Orientation 6 means "rotate 90 degrees clockwise to display": the stored top-left
    # corner ends up top-right, and width and height swap.
    assert (photo.width, photo.height) == (300, 400)
    im = Image.open(io.BytesIO(photo.display))
    assert im.size == (300, 400)
    assert is_close(im.getpixel((290, 10)), RED)
    assert is_close(im.getpixel((10, 10)), BLUE)
    assert not im.getexif()


def test_it_rotates_large_photos_decoded_at_reduced_scale():
    photo = process_photo(upload(phone_jpeg((3400, 2400), orientation=6)))

    assert (photo.width, photo.height) == (1129, 1600)
    assert (photo.thumb_width, photo.thumb_height) == (282, 400)
    display = Image.open(io.BytesIO(photo.display))
    assert is_close(display.getpixel((1100, 20)), RED)
    assert is_close(display.getpixel((20, 20)), BLUE)
    thumbnail = Image.open(io.BytesIO(photo.thumbnail))
    assert is_close(thumbnail.getpixel((275, 5)), RED)


def test_it_limits_the_long_edges_of_both_renditions():
    photo = process_photo(upload(phone_jpeg((4000, 3000))))

    assert (photo.width, photo.height) == (1600, 1200)
    assert (photo.thumb_width, photo.thumb_height) == (400, 300)
    assert Image.open(io.BytesIO(photo.display)).size == (1600, 1200)
    assert Image.open(io.BytesIO(photo.thumbnail)).size == (400, 300)


def test_it_limits_the_long_edge_of_portrait_pngs():
    data = image_bytes(Image.new("RGB", (1000, 3000), BLUE), "PNG")

    photo = process_photo(upload(data, "photo.png", "image/png"))

    assert (photo.width, photo.height) == (533, 1600)
    assert (photo.thumb_width, photo.thumb_height) == (133, 400)


def test_it_does_not_upscale_small_images():
    photo = process_photo(upload(phone_jpeg((300, 200))))

    assert (photo.width, photo.height) == (300, 200)
    assert (photo.thumb_width, photo.thumb_height) == (300, 200)


def test_it_writes_progressive_jpegs():
    photo = process_photo(upload(phone_jpeg((800, 600))))

    assert Image.open(io.BytesIO(photo.display)).info.get("progressive")


def test_it_flattens_png_transparency_on_white():
    im = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    im.paste((255, 0, 0, 255), (100, 0, 200, 100))

    photo = process_photo(upload(image_bytes(im, "PNG"), "photo.png", "image/png"))

    display = assert_clean_jpeg(photo.display)
    assert is_close(display.getpixel((20, 50)), (255, 255, 255))
    assert is_close(display.getpixel((180, 50)), RED)


def test_it_accepts_palette_pngs_with_transparency():
    im = Image.new("P", (100, 100), 0)
    im.putpalette([255, 255, 255, 0, 0, 255])
    im.paste(1, (50, 0, 100, 100))
    data = image_bytes(im, "PNG", transparency=0)

    photo = process_photo(upload(data, "photo.png", "image/png"))

    display = assert_clean_jpeg(photo.display)
    assert is_close(display.getpixel((10, 50)), (255, 255, 255))
    assert is_close(display.getpixel((90, 50)), BLUE)


def test_it_keeps_16_bit_greyscale_pngs_grey():
    data = image_bytes(Image.new("I;16", (100, 100), 32768), "PNG")

    photo = process_photo(upload(data, "scan.png", "image/png"))

    assert is_close(Image.open(io.BytesIO(photo.display)).getpixel((50, 50)), (128, 128, 128))


def test_it_accepts_webp():
    data = image_bytes(photo_with_red_corner((2000, 1000)), "WEBP", quality=90)

    photo = process_photo(upload(data, "photo.webp", "image/webp"))

    assert (photo.width, photo.height) == (1600, 800)
    assert_clean_jpeg(photo.display)


@pytest.mark.parametrize(
    "format, name",
    [
        # WebP keeps the orientation in EXIF; pillow-heif turns it into the HEIF rotation.
        pytest.param("WEBP", "photo.webp", id="webp"),
        pytest.param("HEIF", "IMG_0001.HEIC", id="heic"),
    ],
)
def test_it_rotates_large_webp_and_heic_photos_and_drops_their_gps(format, name):
    pillow_heif.register_heif_opener()
    # Large enough to be decoded at half size.
    data = image_bytes(
        photo_with_red_corner((3400, 2400)), format, exif=phone_exif(orientation=6), quality=90
    )
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    photo = process_photo(upload(data, name, "image/webp"))

    assert (photo.width, photo.height) == (1129, 1600)
    assert (photo.thumb_width, photo.thumb_height) == (282, 400)
    display = assert_clean_jpeg(photo.display)
    assert display.size == (1129, 1600)
    assert is_close(display.getpixel((1100, 20)), RED)
    assert is_close(display.getpixel((20, 20)), BLUE)
    assert is_close(display.getpixel((20, 1580)), BLUE)
    thumbnail = assert_clean_jpeg(photo.thumbnail)
    assert is_close(thumbnail.getpixel((275, 5)), RED)


def test_it_flattens_large_transparent_webps_on_white():
    im = Image.new("RGBA", (3600, 1800), (0, 0, 0, 0))
    im.paste((255, 0, 0, 255), (1800, 0, 3600, 1800))

    photo = process_photo(upload(image_bytes(im, "WEBP", lossless=True), "a.webp", "image/webp"))

    assert (photo.width, photo.height) == (1600, 800)
    display = assert_clean_jpeg(photo.display)
    assert is_close(display.getpixel((20, 400)), (255, 255, 255))
    assert is_close(display.getpixel((1580, 400)), RED)


def test_it_accepts_iphone_heic():
    pillow_heif.register_heif_opener()
    data = image_bytes(photo_with_red_corner((2000, 1500)), "HEIF", quality=90)

    photo = process_photo(upload(data, "IMG_0001.HEIC", "image/heic"))

    assert (photo.width, photo.height) == (1600, 1200)
    display = assert_clean_jpeg(photo.display)
    assert is_close(display.getpixel((20, 20)), RED)


def test_it_accepts_multi_picture_jpegs_from_phones():
    first = photo_with_red_corner((2000, 1500))
    data = image_bytes(first, "MPO", save_all=True, append_images=[Image.new("RGB", (200, 150))])

    photo = process_photo(upload(data))

    assert (photo.width, photo.height) == (1600, 1200)
    assert_clean_jpeg(photo.display)


def test_it_converts_cmyk_jpegs_to_rgb():
    data = image_bytes(Image.new("CMYK", (2000, 1000), (0, 255, 255, 0)), "JPEG")

    photo = process_photo(upload(data))

    display = assert_clean_jpeg(photo.display)
    assert is_close(display.getpixel((10, 10)), RED)


def test_it_drops_the_colour_profile_after_converting_to_srgb():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_bytes(photo_with_red_corner((800, 600)), "JPEG", icc_profile=srgb)

    photo = process_photo(upload(data))

    display = assert_clean_jpeg(photo.display)
    assert "icc_profile" not in display.info
    assert is_close(display.getpixel((10, 10)), RED)


def test_it_reads_a_file_without_a_size_attribute():
    photo = process_photo(io.BytesIO(phone_jpeg((300, 200))))

    assert (photo.width, photo.height) == (300, 200)


def test_it_refuses_an_empty_file():
    assert_refused(b"", "empty_file")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"<!DOCTYPE html><html><body>Hello</body></html>", id="html"),
        pytest.param(b"Just some text pretending to be a photo.\n", id="text"),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(document.cookie)</script></svg>",
            id="svg-with-script",
        ),
        pytest.param(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", id="pdf"),
        pytest.param(image_bytes(Image.new("RGB", (20, 20), RED), "GIF"), id="gif"),
        pytest.param(image_bytes(Image.new("RGB", (20, 20), RED), "BMP"), id="bmp"),
        pytest.param(image_bytes(Image.new("RGB", (20, 20), RED), "TIFF"), id="tiff"),
    ],
)
def test_it_refuses_files_that_are_not_supported_images_whatever_their_name(data):
    messages = assert_refused(data, "not_an_image")

    assert messages == ["The file is not a supported image (JPEG, PNG, WebP or HEIC)."]


def test_it_refuses_a_truncated_jpeg():
    data = phone_jpeg((800, 600))

    assert_refused(data[: len(data) // 2], "damaged_image")


def test_it_refuses_a_truncated_jpeg_that_would_be_decoded_at_reduced_scale():
    data = phone_jpeg((4000, 3000))

    assert_refused(data[: len(data) // 2], "damaged_image")


def test_it_refuses_a_truncated_png():
    data = image_bytes(Image.effect_noise((400, 400), 64).convert("RGB"), "PNG")

    assert_refused(data[: len(data) // 2], "damaged_image")


def test_it_refuses_a_file_larger_than_the_limit_before_decoding_it():
    messages = assert_refused(b"\xff" * (1024 * 1024 + 1), "file_too_large", max_bytes=1024 * 1024)

    assert messages == ["The file is too large. The maximum size is 1 MB."]


def test_it_applies_the_size_limit_to_real_photos():
    data = phone_jpeg((800, 600))

    assert_refused(data, "file_too_large", max_bytes=len(data) - 1)
    assert process_photo(upload(data), max_bytes=len(data)).width == 800


@pytest.mark.parametrize(
    "width, height",
    [
        pytest.param(8000, 7000, id="above-our-limit"),
        pytest.param(10000, 10000, id="pillow-bomb-warning"),
        pytest.param(20000, 20000, id="pillow-bomb-error"),
    ],
)
def test_it_refuses_decompression_bombs_from_the_header_alone(settings, width, height):
    settings.LISTING_PHOTO_MAX_PIXELS = 50_000_000
    # The crafted file holds a few bytes of pixel data: refusing it as "damaged" would mean
    # we had started decoding; the dimension check must come first.
    messages = assert_refused(crafted_png_header(width, height), "too_many_pixels")

    assert messages == ["The image dimensions are too large. The maximum is 50 megapixels."]


def test_it_takes_the_pixel_limit_from_settings(settings):
    settings.LISTING_PHOTO_MAX_PIXELS = 1_000_000
    data = image_bytes(Image.new("RGB", (1200, 1000), BLUE), "PNG")

    assert_refused(data, "too_many_pixels")


def test_it_re_encodes_a_jpeg_html_polyglot_without_the_script():
    payload = b"<script>alert(document.cookie)</script>"
    data = image_bytes(photo_with_red_corner((300, 200)), "JPEG", comment=payload) + payload

    photo = process_photo(upload(data, "photo.html", "text/html"))

    assert b"<script" not in photo.display
    assert b"<script" not in photo.thumbnail
    assert_clean_jpeg(photo.display)
