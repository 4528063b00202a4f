"""Decode WebP and HEIC uploads at reduced size, so a phone photo is never held at full size twice.

Pillow decodes a 12-megapixel WebP through libwebp's animation API, which keeps two full-size
canvases plus a copy for Python and Pillow's own image (about 190 MB), and a HEIC into libheif's
buffer plus a full-size Pillow copy. Nothing larger than the display rendition is ever shown, so:

- WebP is decoded by libwebp's advanced API, which scales while decoding (it keeps only a few
  rows at full width): the picture arrives at 1/k size, k the whole factor that keeps it at least
  the display size, exactly like JPEG's draft mode. We call libwebp through ctypes: Pillow ships
  it (or Debian's libwebp7 provides it) but exposes no scaled decode.
- HEIC has no reduced decode (HEVC), so libheif's full-size buffer is reduced by k in strips of
  rows straight into the small image, instead of being copied into a full-size Pillow image.

Both return None when they do not apply (no libwebp, an animated WebP, a HEIC with alpha or
too small to reduce); the caller then loads the image the ordinary way. Pixel-count limits are
checked from the header before anything here runs.
"""

import ctypes
import ctypes.util
import math
from functools import cache
from pathlib import Path
from typing import BinaryIO

import PIL
import pillow_heif
from PIL import Image

# (left, top, right, bottom) of the source area, in the coordinates of the reduced image.
Box = tuple[float, float, float, float]

# Rows of full-size HEIC pixels converted to a Pillow image at once (about 6 MB at 4032 px).
HEIF_STRIP_ROWS = 512


def load_reduced(im: Image.Image, upload: BinaryIO, edge: int) -> tuple[Image.Image, Box] | None:
    """Decode im (opened from upload, not loaded) at 1/k size, long edge still at least edge."""
    factor = max(1, max(im.size) // edge)
    if im.format == "WEBP" and getattr(im, "n_frames", 1) == 1:
        reduced = _decode_webp(_read(upload), factor)
        # libwebp scales the whole picture onto the rounded-up size.
        box = (0.0, 0.0, *reduced.size) if reduced else None
    elif im.format == "HEIF" and factor > 1 and im.mode == "RGB":
        reduced = _decode_heif(im, upload, factor)
        # Image.reduce averages the partial blocks at the right and bottom edges.
        box = (0.0, 0.0, im.width / factor, im.height / factor)
    else:
        return None
    if reduced is None:
        return None
    # Metadata (EXIF orientation, colour profile) comes from the header, as for any format;
    # only what the pipeline reads, so nothing keeps the full-size decoder's objects alive.
    reduced.info = {key: im.info[key] for key in ("exif", "xmp", "icc_profile") if key in im.info}
    return reduced, box


def _read(upload: BinaryIO) -> bytes:
    upload.seek(0)
    return upload.read()


def _decode_heif(im: Image.Image, upload: BinaryIO, factor: int) -> Image.Image:
    # The file pillow-heif's opener has already parsed (it holds the whole file in memory), else
    # a second parse of the upload. libheif applies the HEIF rotation and mirroring while
    # decoding, as the opener does, and the opener has set the EXIF orientation to 1.
    heif_image = getattr(im, "_heif_file", None)
    if heif_image is None:
        upload.seek(0)
        heif_image = pillow_heif.open_heif(upload, convert_hdr_to_8bit=True, remove_stride=False)
    heif_image = heif_image[im.tell()]
    data = memoryview(heif_image.data)  # decodes; a damaged file raises here
    width, height = heif_image.size
    stride = heif_image.stride
    reduced = Image.new("RGB", (math.ceil(width / factor), math.ceil(height / factor)))
    # A whole number of factor-high rows per strip: Image.reduce averages factor x factor
    # blocks, so reducing strip by strip gives exactly the pixels of reducing the whole image.
    rows = max(1, HEIF_STRIP_ROWS // factor) * factor
    for top in range(0, height, rows):
        count = min(rows, height - top)
        strip = Image.frombuffer(
            "RGB", (width, count), data[top * stride : (top + count) * stride],
            "raw", heif_image.mode, stride, 1,
        )
        reduced.paste(strip.reduce(factor), (0, top // factor))
    return reduced


# libwebp's advanced decoding API (webp/decode.h). The structures carry padding so that the
# layout is the same in every libwebp with decoder ABI major version 2 (0.5 onwards).
WEBP_DECODER_ABI_VERSION = 0x0209
MODE_RGB, MODE_RGBA = 0, 1
VP8_STATUS_OK = 0


class _BitstreamFeatures(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("has_alpha", ctypes.c_int),
        ("has_animation", ctypes.c_int),
        ("format", ctypes.c_int),
        ("pad", ctypes.c_uint32 * 5),
    ]


class _RGBABuffer(ctypes.Structure):
    _fields_ = [
        ("rgba", ctypes.c_void_p),
        ("stride", ctypes.c_int),
        ("size", ctypes.c_size_t),
    ]


class _YUVABuffer(ctypes.Structure):
    # Only there so the union below has the size libwebp expects.
    _fields_ = [
        ("planes", ctypes.c_void_p * 4),
        ("strides", ctypes.c_int * 4),
        ("sizes", ctypes.c_size_t * 4),
    ]


class _BufferUnion(ctypes.Union):
    _fields_ = [("RGBA", _RGBABuffer), ("YUVA", _YUVABuffer)]


class _DecBuffer(ctypes.Structure):
    _fields_ = [
        ("colorspace", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("is_external_memory", ctypes.c_int),
        ("u", _BufferUnion),
        ("pad", ctypes.c_uint32 * 4),
        ("private_memory", ctypes.c_void_p),
    ]


class _DecoderOptions(ctypes.Structure):
    _fields_ = [
        ("bypass_filtering", ctypes.c_int),
        ("no_fancy_upsampling", ctypes.c_int),
        ("use_cropping", ctypes.c_int),
        ("crop_left", ctypes.c_int),
        ("crop_top", ctypes.c_int),
        ("crop_width", ctypes.c_int),
        ("crop_height", ctypes.c_int),
        ("use_scaling", ctypes.c_int),
        ("scaled_width", ctypes.c_int),
        ("scaled_height", ctypes.c_int),
        ("use_threads", ctypes.c_int),
        ("dithering_strength", ctypes.c_int),
        ("flip", ctypes.c_int),
        ("alpha_dithering_strength", ctypes.c_int),
        ("pad", ctypes.c_uint32 * 5),
    ]


class _DecoderConfig(ctypes.Structure):
    _fields_ = [
        ("input", _BitstreamFeatures),
        ("output", _DecBuffer),
        ("options", _DecoderOptions),
    ]


@cache
def _libwebp() -> ctypes.CDLL | None:
    """The libwebp that Pillow's wheel ships (already loaded with Pillow), else the system's."""
    candidates = sorted((Path(PIL.__file__).parent.parent / "pillow.libs").glob("libwebp-*.so*"))
    if system := ctypes.util.find_library("webp"):
        candidates.append(Path(system))
    for candidate in candidates:
        try:
            library = ctypes.CDLL(str(candidate))
            library.WebPInitDecoderConfigInternal.argtypes = [
                ctypes.POINTER(_DecoderConfig), ctypes.c_int,
            ]
            library.WebPGetFeaturesInternal.argtypes = [
                ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_BitstreamFeatures), ctypes.c_int,
            ]
            library.WebPDecode.argtypes = [
                ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_DecoderConfig),
            ]
            library.WebPFreeDecBuffer.argtypes = [ctypes.POINTER(_DecBuffer)]
        except (OSError, AttributeError):
            continue
        return library
    return None


def _decode_webp(data: bytes, factor: int) -> Image.Image | None:
    library = _libwebp()
    if library is None:
        return None
    config = _DecoderConfig()
    if not library.WebPInitDecoderConfigInternal(ctypes.byref(config), WEBP_DECODER_ABI_VERSION):
        return None  # a libwebp with another ABI: let Pillow decode
    status = library.WebPGetFeaturesInternal(
        data, len(data), ctypes.byref(config.input), WEBP_DECODER_ABI_VERSION
    )
    if status != VP8_STATUS_OK:
        raise OSError(f"libwebp could not read the WebP header (status {status})")
    if config.input.has_animation:
        return None
    width = math.ceil(config.input.width / factor)
    height = math.ceil(config.input.height / factor)
    mode, channels = ("RGBA", 4) if config.input.has_alpha else ("RGB", 3)
    if factor > 1:
        config.options.use_scaling = 1
        config.options.scaled_width, config.options.scaled_height = width, height
    # Decode into memory we own, so Pillow can copy from it and Python frees it.
    pixels = bytearray(width * height * channels)
    output = config.output
    output.colorspace = MODE_RGBA if channels == 4 else MODE_RGB
    output.is_external_memory = 1
    target = (ctypes.c_ubyte * len(pixels)).from_buffer(pixels)
    output.u.RGBA.rgba = ctypes.addressof(target)
    output.u.RGBA.stride = width * channels
    output.u.RGBA.size = len(pixels)
    status = library.WebPDecode(data, len(data), ctypes.byref(config))
    library.WebPFreeDecBuffer(ctypes.byref(config.output))
    if status != VP8_STATUS_OK:
        raise OSError(f"libwebp could not decode the WebP image (status {status})")
    return Image.frombytes(mode, (width, height), pixels)
