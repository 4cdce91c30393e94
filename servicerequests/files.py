"""Checking an uploaded file by what it is, not by what it is called.

JPEG and PNG are opened by Pillow and written anew — the copy keeps the picture and nothing else
(no EXIF with the place and the phone it was taken with); a PDF must begin with the PDF header
and end with its end-of-file mark. Anything else is refused with a message saying why.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lkk.russian import plural
from servicerequests.models import Attachment

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_MAGIC = b"%PDF-"
# A photo from a phone is 12–50 megapixels; more is refused before it is decoded (a small file
# can claim a huge picture, "a decompression bomb").
MAX_IMAGE_PIXELS = 60_000_000
MEGAPIXELS = MAX_IMAGE_PIXELS // 1_000_000
MEGAPIXELS_WORD = plural(MEGAPIXELS, "мегапикселя", "мегапикселей", "мегапикселей")


class FileRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str


def max_file_bytes() -> int:
    return settings.SERVICE_REQUEST_FILE_MAX_MB * 1024 * 1024


def file_check(upload: UploadedFile) -> CheckedFile:
    """The file as it will be stored, or FileRefused with the reason in Russian."""
    name = (upload.name or "file").rsplit("/", 1)[-1][-200:]
    if upload.size is not None and upload.size > max_file_bytes():
        raise FileRefused(
            _("Файл «%(name)s» больше %(limit)s: уменьшите его или сфотографируйте заново.")
            % {"name": name, "limit": filesizeformat(max_file_bytes())}
        )
    data = upload.read(max_file_bytes() + 1)
    if len(data) > max_file_bytes():
        raise FileRefused(
            _("Файл «%(name)s» больше %(limit)s.")
            % {"name": name, "limit": filesizeformat(max_file_bytes())}
        )
    if data.startswith(JPEG_MAGIC) or data.startswith(PNG_MAGIC):
        return _image(name, data)
    if data.startswith(PDF_MAGIC):
        if b"%%EOF" not in data[-2048:]:
            raise FileRefused(
                _("Файл «%(name)s» — повреждённый PDF: он не дописан до конца.") % {"name": name}
            )
        return CheckedFile(
            name=_with_extension(name, "pdf"), content=data, content_type=Attachment.Type.PDF
        )
    raise FileRefused(
        _(
            "Файл «%(name)s» не принят: можно приложить только фотографию в JPEG или PNG или "
            "документ в PDF (тип проверяется по содержимому, а не по имени файла)."
        )
        % {"name": name}
    )


def _image(name: str, data: bytes) -> CheckedFile:
    broken = FileRefused(
        _("Файл «%(name)s» не открывается как изображение: он повреждён.") % {"name": name}
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise FileRefused(
                    _("Изображение «%(name)s» слишком большое: не больше %(mp)d %(word)s.")
                    % {
                        "name": name,
                        "mp": MAX_IMAGE_PIXELS // 1_000_000,
                        "word": plural(
                            MAX_IMAGE_PIXELS // 1_000_000,
                            "мегапикселя",
                            "мегапикселей",
                            "мегапикселей",
                        ),
                    }
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            is_png = image.format == "PNG"
            # Turn the picture as the camera meant it, then write it without the EXIF.
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if is_png:
                upright.save(out, format="PNG", optimize=True)
            else:
                upright.convert("RGB").save(out, format="JPEG", quality=88)
    except FileRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise broken from None
    extension, content_type = (
        ("png", Attachment.Type.PNG) if is_png else ("jpg", Attachment.Type.JPEG)
    )
    return CheckedFile(
        name=_with_extension(name, extension), content=out.getvalue(), content_type=content_type
    )


def _with_extension(name: str, extension: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}.{extension}"
