"""Benchmark the listing photo pipeline against plain Pillow and libvips.

Run from the project root:

    python bench/photo_pipeline.py                      # print a Markdown table
    python bench/photo_pipeline.py --write docs/PERFORMANCE.md

It makes a 12-megapixel phone-like photo (4032x3024, EXIF orientation 6, GPS) in a temporary
directory and saves it as JPEG, WebP and HEIC (the same pixels and metadata; HEIC stores the
rotation as its own transform, as an iPhone does), then runs each pipeline on each file many
times, every run in a fresh subprocess so that peak memory (ru_maxrss) belongs to that run alone;
the pipelines take turns, so background load falls on all of them alike. Linux carries ru_maxrss
over fork and exec, so the parent stays lean: even the test photos are made in a child. A second
child per run only imports the same libraries; its peak is subtracted, so the figure is the
memory the work itself needed. All three pipelines write the same renditions (1600 and 400 px
long edge, JPEG quality 82, progressive, optimised Huffman tables, no metadata), so the times
compare like with like. libvips needs Debian's libvips42 and pyvips (the bench group of
pyproject.toml); without them its rows are skipped.
"""

import argparse
import datetime
import io
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.common import write_section  # noqa: E402 (standard library only: the parent stays lean)

PIPELINES = {
    "mottainai": "Mottainai `process_photo`",
    "pillow": "Plain Pillow (open, `exif_transpose`, resize)",
    "libvips": "libvips (`pyvips.Image.thumbnail`)",
}
DISPLAY_EDGE = 1600
THUMB_EDGE = 400
QUALITY = 82
# Input formats: file name and the Pillow format that saves it. The same photo in each.
INPUTS = {
    "JPEG": ("IMG_0001.JPG", "JPEG"),
    "WebP": ("IMG_0001.WEBP", "WEBP"),
    "HEIC": ("IMG_0001.HEIC", "HEIF"),
}
# The memory targets hold for the work on top of the imported libraries.
TARGET_PEAK_MB = {"JPEG": 80, "WebP": 120, "HEIC": 120}


def main() -> None:
    """Parse the command line and run either the whole benchmark or one measured child."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per pipeline")
    parser.add_argument("--write", metavar="PATH", help="replace the benchmark section of PATH")
    parser.add_argument("--child", choices=[*PIPELINES, "make-image"], help=argparse.SUPPRESS)
    parser.add_argument("--image", help=argparse.SUPPRESS)
    parser.add_argument("--imports-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "make-image":
        make_phone_photos(Path(args.image))
        return
    if args.child:
        run_child(args.child, args.image, imports_only=args.imports_only)
        return

    with tempfile.TemporaryDirectory() as directory:
        subprocess.run(
            [sys.executable, __file__, "--child", "make-image", "--image", directory], check=True
        )
        paths = {label: Path(directory) / name for label, (name, _) in INPUTS.items()}
        sizes = {label: path.stat().st_size for label, path in paths.items()}
        print("Test photos: " + ", ".join(f"{label} {size / 1e6:.1f} MB"
                                          for label, size in sizes.items()), file=sys.stderr)
        pipelines = list(PIPELINES)
        if not pyvips_available():
            print(
                "pyvips is not importable (apt-get install libvips42; "
                "pyvips from the bench group): skipping libvips.",
                file=sys.stderr,
            )
            pipelines.remove("libvips")
        jobs = {(label, name): path for label, path in paths.items() for name in pipelines}
        results = measure(jobs, args.runs)
        report = render_report(results, args.runs, sizes)

    print(report)
    if args.write:
        write_section(args.write, "photo-pipeline", report)
        print(f"Wrote {args.write}", file=sys.stderr)


def make_phone_photos(directory: Path) -> None:
    """Save a 4032x3024 photo that compresses like a phone's, with EXIF and GPS, in each format."""
    import pillow_heif
    from PIL import ExifTags, Image, ImageChops

    pillow_heif.register_heif_opener()

    size = (4032, 3024)
    # Smooth colour gradients for the scene, blurry blobs for mid-frequency detail and fine
    # grain like a phone sensor's, so the DCT has real work to do.
    gradients = [
        Image.linear_gradient("L").resize(size),
        Image.radial_gradient("L").resize(size),
        Image.linear_gradient("L").rotate(90).resize(size),
    ]
    channels = []
    for index, gradient in enumerate(gradients):
        blobs = Image.effect_noise((size[0] // 16, size[1] // 16), 70 + 10 * index).resize(
            size, Image.Resampling.BICUBIC
        )
        grain = Image.effect_noise(size, 9)
        scene = Image.blend(gradient, blobs, 0.5)
        channels.append(ImageChops.add(scene, grain, scale=1.0, offset=-128))
    photo = Image.merge("RGB", channels)

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 15"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (35.0, 41.0, 22.2)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (139.0, 41.0, 30.1)
    # Phone-like quality settings. pillow-heif turns EXIF orientation 6 into the HEIF rotation
    # (irot) and writes EXIF orientation 1, as iPhones do; JPEG and WebP keep it in EXIF.
    options = {"JPEG": {"quality": 92}, "WEBP": {"quality": 90}, "HEIF": {"quality": 80}}
    for name, format in INPUTS.values():
        photo.save(directory / name, format, exif=exif.tobytes(), **options[format])


def pyvips_available() -> bool:
    """Tell whether pyvips and the libvips shared library can be loaded."""
    # In a child, so that loading libvips does not raise this process's ru_maxrss.
    command = [sys.executable, "-c", "import pyvips"]
    return subprocess.run(command, capture_output=True).returncode == 0


def measure(jobs: dict, runs: int) -> dict:
    """Run each (input, pipeline) job in runs fresh children, plus as many import-only children,
    and summarise. The jobs take turns, run after run, so that other load on the machine falls
    on all of them alike rather than on whichever happened to run at the time."""
    work = {job: [] for job in jobs}
    baseline = {job: [] for job in jobs}
    for run in range(runs):
        for (label, name), path in jobs.items():
            work[label, name].append(run_in_child(name, path, imports_only=False))
            baseline[label, name].append(run_in_child(name, path, imports_only=True))
        print(f"run {run + 1} of {runs}: done", file=sys.stderr)
    return {job: summarise(work[job], baseline[job]) for job in jobs}


def summarise(work: list[dict], baseline: list[dict]) -> dict:
    """Median, fastest and slowest time, CPU time and peak memory above the imports' peak."""
    baseline_peak = statistics.median(run["peak_bytes"] for run in baseline)
    times = [run["seconds"] for run in work]
    peaks = [run["peak_bytes"] - baseline_peak for run in work]
    return {
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "max_ms": max(times) * 1000,
        "cpu_ms": statistics.median(run["cpu_seconds"] for run in work) * 1000,
        "peak_mb": statistics.median(peaks) / 1e6,
        "baseline_mb": baseline_peak / 1e6,
        "display_kb": work[0]["display_bytes"] / 1000,
        "thumb_kb": work[0]["thumb_bytes"] / 1000,
    }


def run_in_child(name: str, image_path: Path, *, imports_only: bool) -> dict:
    """Run this script as a measured child process and return what it reports."""
    command = [sys.executable, __file__, "--child", name, "--image", str(image_path)]
    if imports_only:
        command.append("--imports-only")
    completed = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(completed.stdout)


def run_child(name: str, image_path: str, *, imports_only: bool) -> None:
    """Import one pipeline's libraries, run it once unless imports_only, and print JSON."""
    import time

    pipeline = {"mottainai": load_mottainai, "pillow": load_pillow, "libvips": load_libvips}[name]()
    seconds, cpu_seconds, display, thumb = 0.0, 0.0, b"", b""
    if not imports_only:
        start, cpu_start = time.perf_counter(), time.process_time()
        display, thumb = pipeline(image_path)
        seconds = time.perf_counter() - start
        # All threads of the process: libvips uses both CPUs, Pillow one.
        cpu_seconds = time.process_time() - cpu_start
    # ru_maxrss is in kilobytes on Linux (bytes on macOS, where this benchmark is not run).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_bytes": peak,
        "display_bytes": len(display),
        "thumb_bytes": len(thumb),
    }))


def load_mottainai():
    """Import our pipeline with minimal Django settings when the project's are not in use."""
    from django.conf import settings

    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        settings.configure(USE_I18N=False)
    from listings.photos import process_photo

    def pipeline(path: str) -> tuple[bytes, bytes]:
        with open(path, "rb") as upload:
            photo = process_photo(upload)
        return photo.display, photo.thumbnail

    return pipeline


def load_pillow():
    """Return the straightforward Pillow pipeline most code would start with."""
    import pillow_heif
    from PIL import Image, ImageOps

    pillow_heif.register_heif_opener()

    def fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
        scale = min(1, edge / max(size))
        return round(size[0] * scale), round(size[1] * scale)

    def encode(im: Image.Image) -> bytes:
        buffer = io.BytesIO()
        im.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)
        return buffer.getvalue()

    def pipeline(path: str) -> tuple[bytes, bytes]:
        with Image.open(path) as original:
            upright = ImageOps.exif_transpose(original.convert("RGB"))
        display = upright.resize(fit(upright.size, DISPLAY_EDGE), Image.Resampling.LANCZOS)
        thumb = upright.resize(fit(upright.size, THUMB_EDGE), Image.Resampling.LANCZOS)
        return encode(display), encode(thumb)

    return pipeline


def load_libvips():
    """Return libvips' recommended pipeline: shrink-on-load thumbnails straight from the file."""
    import pyvips

    def encode(image) -> bytes:
        return image.write_to_buffer(
            ".jpg", Q=QUALITY, strip=True, interlace=True, optimize_coding=True
        )

    def pipeline(path: str) -> tuple[bytes, bytes]:
        display = pyvips.Image.thumbnail(path, DISPLAY_EDGE)
        thumb = pyvips.Image.thumbnail(path, THUMB_EDGE)
        return encode(display), encode(thumb)

    return pipeline


def machine_info() -> list[str]:
    """Describe the machine and library versions the numbers were measured with."""
    from PIL import __version__ as pillow_version
    from PIL import features

    cpu = platform.processor() or platform.machine()
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        if found := re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE):
            cpu = found.group(1).strip()
    except OSError:
        pass
    libvips = "not installed"
    if pyvips_available():
        import pyvips

        version = ".".join(str(pyvips.version(part)) for part in range(3))
        libvips = f"{version} (pyvips {pyvips.__version__})"
    return [
        f"- Date: {datetime.date.today().isoformat()}",
        f"- CPU: {cpu}, {os.cpu_count()} logical CPUs",
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}",
        f"- Pillow {pillow_version} (libjpeg-turbo {features.version('libjpeg_turbo')})",
        f"- libvips {libvips}",
    ]


def render_report(results: dict, runs: int, sizes: dict) -> str:
    """Render the results as a Markdown section: table, verdict, machine and command."""
    lines = [
        "## Photo pipeline",
        "",
        "One 4032x3024 phone photo (EXIF orientation 6, GPS) saved as JPEG "
        f"({sizes['JPEG'] / 1e6:.1f} MB), WebP ({sizes['WebP'] / 1e6:.1f} MB) and HEIC "
        f"({sizes['HEIC'] / 1e6:.1f} MB; the rotation as a HEIF transform) turned "
        f"into a {DISPLAY_EDGE} px display rendition and a {THUMB_EDGE} px thumbnail (JPEG "
        f"quality {QUALITY}, progressive, no metadata). Median of {runs} runs, each in a fresh "
        "process, the pipelines taking turns; CPU time is the median over the process's threads; "
        "peak memory is the child's `ru_maxrss` minus that of a child that only imports the "
        "same libraries.",
        "",
        "| Input | Pipeline | Median time | Fastest / slowest | CPU time | Peak memory for the work "
        "| Imports alone | Display / thumbnail |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (label, name), result in results.items():
        lines.append(
            f"| {label} | {PIPELINES[name]} | {result['median_ms']:.0f} ms "
            f"| {result['min_ms']:.0f} / {result['max_ms']:.0f} ms "
            f"| {result['cpu_ms']:.0f} ms "
            f"| {result['peak_mb']:.1f} MB "
            f"| {result['baseline_mb']:.0f} MB "
            f"| {result['display_kb']:.0f} KB / {result['thumb_kb']:.0f} KB |"
        )
    if ("JPEG", "libvips") not in results:
        lines += ["", "libvips was not measured: pyvips could not be imported."]
    lines += ["", verdict(results), "", *machine_info(), "",
              "Reproduce from the project root (libvips row: Debian `apt-get install libvips42`; "
              "pyvips comes with the `bench` group that `bin/test` installs):", "",
              "```sh", f"python bench/photo_pipeline.py --runs {runs} --write docs/PERFORMANCE.md",
              "```"]
    return "\n".join(lines)


def verdict(results: dict) -> str:
    """State whether our pipeline meets its targets: for JPEG no slower than libvips and under
    80 MB; for WebP and HEIC under 120 MB."""
    parts = []
    for label in INPUTS:
        ours = results[label, "mottainai"]
        target = TARGET_PEAK_MB[label]
        parts.append(f"{label} peak memory (under {target} MB): "
                     + ("met" if ours["peak_mb"] < target else "**not met**")
                     + f" ({ours['peak_mb']:.1f} MB).")
    ours = results["JPEG", "mottainai"]
    if ("JPEG", "libvips") in results:
        ratio = ours["median_ms"] / results["JPEG", "libvips"]["median_ms"]
        parts.append("JPEG speed (no slower than libvips): "
                     + ("met" if ratio <= 1 else "**not met**")
                     + f" ({ratio:.2f}x libvips' median time).")
    else:
        parts.append("JPEG speed (no slower than libvips): not checked without libvips.")
    return "Result: " + " ".join(parts)


if __name__ == "__main__":
    main()
