"""Reading photos from disk into RGB arrays (to show) or BGR ones (for the face engines).

Users import whatever their phone or scanner produced: EXIF-rotated JPEGs, iPhone HEIC
photos, GIFs (their first frame), grayscale scans, PNGs with transparency, 16-bit TIFFs,
or files that are not images at all. Every one either becomes an upright, 8-bit,
contiguous RGB array or a one-line ImageError naming the file.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from attendance_app.errors import AttendanceError
from attendance_app.i18n import _

# Photos larger than this are shrunk on load: faces stay far above the detector's
# minimum, and a 20000x20000 file cannot exhaust memory downstream.
MAX_SIDE_PX = 4000

HEIF_SUFFIXES = frozenset({".heic", ".heif", ".hif"})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".bmp", ".webp", ".tif",
                            ".tiff", ".gif", *HEIF_SUFFIXES})


class ImageError(AttendanceError):
    """A file cannot be used as a photo; the message names the file and what to do."""


def _to_8bit_rgb(image: Image.Image) -> Image.Image:
    """Flatten alpha onto white, stretch 16/32-bit pixels to 8 bits, and return RGB."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        array = np.asarray(image, dtype=np.float64)
        top = float(array.max()) or 1.0
        image = Image.fromarray(np.clip(array * (255.0 / top), 0, 255).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("RGB")


@cache
def _heif_readable() -> bool:
    """Teach Pillow HEIC/HEIF (pillow-heif, a dependency), once, on the first photo: its
    import costs start-up time that commands reading no photo should not pay. False
    where it cannot be imported (a platform it has no wheel for)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


@contextmanager
def _refusing_truncated_files() -> Iterator[None]:
    """Make PIL raise on a truncated file instead of filling the missing part with grey.

    face_recognition switches PIL's process-wide LOAD_TRUNCATED_IMAGES on when it is
    imported, so once the face models were loaded a photo cut short would be accepted
    (and enrolled) silently. The previous setting is restored for other callers.
    """
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def load_rgb(path: Path) -> np.ndarray:
    """Return the photo at `path` as an upright (EXIF applied) contiguous uint8 RGB array
    (an animated GIF's first frame)."""
    if not _heif_readable() and path.suffix.lower() in HEIF_SUFFIXES:
        raise ImageError(_("{path}: HEIC/HEIF photos cannot be read here (the pillow-heif "
                           "package is missing); save it as JPEG, or reinstall the app").format(
            path=path))
    try:
        with warnings.catch_warnings(), _refusing_truncated_files():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.draft("RGB", (MAX_SIDE_PX, MAX_SIDE_PX))
                image = ImageOps.exif_transpose(image)
                image.load()
    except FileNotFoundError:
        raise ImageError(_("{path}: file not found; check the path").format(path=path)) from None
    except IsADirectoryError:
        raise ImageError(_("{path}: is a folder, not an image; give image files").format(
            path=path)) from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        # PIL refuses pictures of more than ~90 megapixels before decoding them.
        raise ImageError(
            _("{path}: image has too many pixels to load safely; resize it below {most} pixels "
              "per side").format(path=path, most=MAX_SIDE_PX)
        ) from None
    except UnidentifiedImageError:
        raise ImageError(_("{path}: not a readable image; use a JPEG or PNG photo").format(
            path=path)) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageError(_("{path}: image is damaged or truncated ({error}); use another copy")
                         .format(path=path, error=error)) from None
    if max(image.size) > MAX_SIDE_PX:
        image.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.LANCZOS)
    return np.ascontiguousarray(np.asarray(_to_8bit_rgb(image), dtype=np.uint8))


def load_bgr(path: Path) -> np.ndarray:
    """`load_rgb` in OpenCV's channel order, what the face engines take: Pillow decodes
    to RGB, and the photo is converted once, here (without OpenCV, which commands that
    only list photos need not load)."""
    return np.ascontiguousarray(load_rgb(path)[:, :, ::-1])


def list_images(folder: Path) -> list[Path]:
    """Image files directly inside `folder`, sorted by name for a stable order."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def find_images(folder: Path) -> list[Path]:
    """Image files in `folder` and all its sub-folders, sorted by path: a folder of class
    folders is taken as a whole, not silently found empty."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
