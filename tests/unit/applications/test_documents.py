"""What an uploaded document may be (issue 5 item 4, security-notes B.5): every fixture is made here."""

import io
import os
import re
import signal
import struct
import time
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

import anyio
import pikepdf
import pytest
from fpdf import FPDF
from hypothesis import given
from hypothesis import strategies as st
from pikepdf import Array, Dictionary, Name, String
from PIL import ExifTags, Image, PngImagePlugin

from portal.applications import documents
from portal.applications.documents import (
    DocumentKind,
    DocumentRejected,
    RejectionCode,
    check_document,
    clean_display_name,
    inspect_pdf,
    sniff,
    strip_image,
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# --- fixtures made in code ------------------------------------------------------------------------


def _pdf(pages: int = 1, change: Callable[[pikepdf.Pdf], None] | None = None, **save: object) -> bytes:
    pdf = pikepdf.new()
    for number in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
        pdf.pages[number].Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Page) Tj ET\n" * 40)
    if change is not None:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)  # type: ignore[arg-type]
    return out.getvalue()


def _raw_pdf(*bodies: bytes, root: int = 1) -> bytes:
    """A hand-written PDF with a correct cross-reference table (for names pikepdf would normalise)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, root, xref)
    return bytes(out)


_CATALOG_AND_PAGE = (
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
)


def _jpeg(size: tuple[int, int] = (40, 20), **save: object) -> bytes:
    image = Image.new("RGB", size)
    image.paste((200, 30, 30), (0, 0, size[0] // 2, size[1]))  # left half red: shows the rotation
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, format="JPEG", **save)
    return out.getvalue()


def _png(size: tuple[int, int] = (30, 10), mode: str = "RGB", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 128).save(out, format="PNG", **save)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size in a few dozen bytes (a pixel flood / decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _png_chunk_types(data: bytes) -> list[bytes]:
    kinds, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kinds.append(data[offset + 4 : offset + 8])
        offset += length + 12
    return kinds


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    def write(data: bytes, name: str = "upload.bin") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def _code(call: Callable[[], object]) -> RejectionCode:
    with pytest.raises(DocumentRejected) as caught:
        call()
    return caught.value.code


# --- sniff ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", DocumentKind.PDF),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", DocumentKind.JPEG),
        (b"\xff\xd8\xff\xe1", DocumentKind.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", DocumentKind.PNG),
    ],
)
def test_sniff_recognises_the_three_types_by_their_bytes(head: bytes, kind: DocumentKind) -> None:
    assert sniff(head) is kind


@pytest.mark.parametrize(
    "head",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows executable renamed .pdf
        b"\x7fELF\x02\x01\x01",
        b"PK\x03\x04\x14\x00",  # zip, docx, xlsx
        b"<!DOCTYPE html><html>",
        b"<svg xmlns='http://www.w3.org/2000/svg'>",
        b"<?xml version='1.0'?><svg",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # old Office
        b"GIF89a",
        b"RIFF\x00\x00\x00\x00WEBP",
        b" %PDF-1.4",  # not at offset 0
        b"%PDF",  # too short to be sure
        b"\x89PNG\r\n\x1a\x00",  # a PNG with a wrong header
        b"\x89PNX\r\n\x1a\n",
        b"\xff\xd8",  # half a JPEG marker
        b"\x00",
    ],
)
def test_sniff_refuses_everything_else(head: bytes) -> None:
    assert _code(lambda: sniff(head)) is RejectionCode.UNKNOWN_TYPE


def test_sniff_of_nothing_is_empty() -> None:
    assert _code(lambda: sniff(b"")) is RejectionCode.EMPTY


def test_rejection_codes_are_stable() -> None:
    assert {code.value for code in RejectionCode} == {
        "empty",
        "too_large",
        "unknown_type",
        "pdf_broken",
        "pdf_encrypted",
        "pdf_active_content",
        "pdf_too_many_pages",
        "image_broken",
        "image_too_many_pixels",
        "bad_name",
    }
    assert DocumentRejected(RejectionCode.EMPTY).code is RejectionCode.EMPTY
    assert isinstance(DocumentRejected(RejectionCode.EMPTY), ValueError)


# --- display names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("scan.pdf", "scan.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("/var/www/static/diploma.pdf", "diploma.pdf"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("a／b／c.pdf", "c.pdf"),  # fullwidth solidus is a slash after NFKC
        ("ＡＢＣ１２３.pdf", "ABC123.pdf"),
        ("dip\x00lo\x1bma\x7f.pdf", "diploma.pdf"),
        ("report\r\nSet-Cookie: x.pdf", "report Set-Cookie x.pdf"),
        ("evil\u202egnp.exe", "evilgnp.exe"),  # right-to-left override removed
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        ("  many   spaces\t here .pdf  ", "many spaces here .pdf"),
        ("Диплом Иванова (копия).pdf", "Диплом Иванова (копия).pdf"),
        ("Жеке куәлік_ұлттық-ғ.pdf", "Жеке куәлік_ұлттық-ғ.pdf"),
        ("Еңбек кітапшасы №12.jpg", "Еңбек кітапшасы No12.jpg"),  # NFKC: № is N o
        ("<script>alert(1)</script>.pdf", "script.pdf"),  # "/" splits the path first
        ("<b onload=alert(1)>cv.pdf", "b onloadalert(1)cv.pdf"),
        ("a\"b;c=d'e.pdf", "abcde.pdf"),
        (".htaccess", "htaccess"),
        ("name.pdf.", "name.pdf"),
        ("...", "document"),
        ("", "document"),
        ("../../", "document"),
        ("\x00\x01\x02", "document"),
        ("🙂🙂.pdf", "pdf"),
    ],
)
def test_clean_display_name(name: str, expected: str) -> None:
    assert clean_display_name(name) == expected


def test_long_names_keep_their_extension() -> None:
    cleaned = clean_display_name("ж" * 300 + ".pdf")
    assert len(cleaned) == 120
    assert cleaned == "ж" * 116 + ".pdf"
    assert len(clean_display_name("x" * 300)) == 120
    assert clean_display_name("a" * 200 + ". .pdf").endswith("a.pdf")


@given(st.text(max_size=400))
def test_clean_display_name_is_always_safe(name: str) -> None:
    cleaned = clean_display_name(name)
    assert 0 < len(cleaned) <= 120
    assert "/" not in cleaned
    assert "\\" not in cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert not cleaned.startswith(".")
    for char in cleaned:
        assert char in " ._-()" or unicodedata.category(char)[0] == "L" or unicodedata.category(char) == "Nd"
    assert unicodedata.normalize("NFKC", cleaned) == cleaned
    assert clean_display_name(cleaned) == cleaned


# --- PDF ------------------------------------------------------------------------------------------


def test_a_plain_pdf_passes_with_its_page_count(write: Callable[..., Path]) -> None:
    assert inspect_pdf(write(_pdf())) == 1
    assert inspect_pdf(write(_pdf(pages=3))) == 3
    compact = _pdf(pages=2, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert inspect_pdf(write(compact)) == 2


def test_pdfs_made_by_ordinary_tools_pass(write: Callable[..., Path]) -> None:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Diploma")
    document.link(10, 10, 50, 10, "https://example.org/")  # a hyperlink annotation is not active
    assert inspect_pdf(write(bytes(document.output()))) == 1

    def initial_view(pdf: pikepdf.Pdf) -> None:  # LibreOffice style: /OpenAction [page /XYZ ...]
        pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.XYZ, None, None, 0])

    assert inspect_pdf(write(_pdf(change=initial_view))) == 1

    def goto_action(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]))

    assert inspect_pdf(write(_pdf(change=goto_action))) == 1


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9, 0.98])
def test_a_truncated_pdf_is_broken(write: Callable[..., Path], fraction: float) -> None:
    data = _pdf(pages=2)
    path = write(data[: int(len(data) * fraction)])
    assert _code(lambda: inspect_pdf(path)) is RejectionCode.PDF_BROKEN


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n",
        b"%PDF-1.4\n" + b"\x00" * 500,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF",
        _raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"),  # no pages
    ],
    ids=["header-only", "zeros", "no-xref", "no-pages"],
)
def test_unparsable_pdfs_are_broken(write: Callable[..., Path], data: bytes) -> None:
    path = write(data)
    assert _code(lambda: inspect_pdf(path)) is RejectionCode.PDF_BROKEN


@pytest.mark.parametrize(
    "encryption",
    [
        pikepdf.Encryption(owner="owner-secret", user="user-secret"),
        pikepdf.Encryption(owner="owner-secret", user=""),  # opens without a password, still encrypted
        pikepdf.Encryption(owner="o", user="u", R=4, aes=True),
    ],
    ids=["user-password", "owner-only", "aes128"],
)
def test_an_encrypted_pdf_is_refused(write: Callable[..., Path], encryption: pikepdf.Encryption) -> None:
    path = write(_pdf(encryption=encryption))
    assert _code(lambda: inspect_pdf(path)) is RejectionCode.PDF_ENCRYPTED


def _open_action_javascript(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('hi')"))


def _names_javascript(pdf: pikepdf.Pdf) -> None:
    action = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=pdf.make_stream(b"app.alert(1)")))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("x"), action])))


def _embedded_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 payload")


def _page_additional_action(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.Named, N=Name.NextPage))


def _launch_link(pdf: pikepdf.Pdf) -> None:
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.Launch, F=String("cmd.exe")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))


def _remote_goto(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.GoToR, F=String("other.pdf"), D=Array([0, Name.Fit]))


def _submit_form(pdf: pikepdf.Pdf) -> None:
    field = Dictionary(FT=Name.Btn, T=String("send"), A=Dictionary(S=Name.SubmitForm, F=String("https://x")))
    pdf.Root.AcroForm = Dictionary(Fields=Array([pdf.make_indirect(field)]))


def _import_data(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.Annots = Array(
        [
            Dictionary(
                Subtype=Name.Link, Rect=Array([0, 0, 1, 1]), A=Dictionary(S=Name.ImportData, F=String("x"))
            )
        ]
    )


def _xfa_form(pdf: pikepdf.Pdf) -> None:
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=pdf.make_stream(b"<xdp:xdp/>"))


def _rich_media(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.Annots = Array([Dictionary(Subtype=Name.RichMedia, Rect=Array([0, 0, 1, 1]))])


@pytest.mark.parametrize(
    "change",
    [
        _open_action_javascript,
        _names_javascript,
        _embedded_file,
        _page_additional_action,
        _launch_link,
        _remote_goto,
        _submit_form,
        _import_data,
        _xfa_form,
        _rich_media,
    ],
)
@pytest.mark.parametrize("object_streams", [False, True])
def test_active_content_is_refused(
    write: Callable[..., Path], change: Callable[[pikepdf.Pdf], None], object_streams: bool
) -> None:
    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    path = write(_pdf(change=change, object_stream_mode=mode))
    assert _code(lambda: inspect_pdf(path)) is RejectionCode.PDF_ACTIVE_CONTENT


def test_a_hand_written_pdf_passes(write: Callable[..., Path]) -> None:
    assert inspect_pdf(write(_raw_pdf(*_CATALOG_AND_PAGE))) == 1  # no /Resources: qpdf repairs, we accept


def test_active_content_hidden_behind_escaped_names_is_refused(write: Callable[..., Path]) -> None:
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
    action = b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"  # /JavaScript and /JS, written with escapes
    path = write(_raw_pdf(catalog, *_CATALOG_AND_PAGE[1:], action))
    assert _code(lambda: inspect_pdf(path)) is RejectionCode.PDF_ACTIVE_CONTENT


def test_active_content_in_an_unreferenced_object_is_refused(write: Callable[..., Path]) -> None:
    orphan = b"<< /S /JavaScript /JS (app.alert(1)) >>"  # in the file, reachable from nothing
    path = write(_raw_pdf(*_CATALOG_AND_PAGE, orphan))
    assert _code(lambda: inspect_pdf(path)) is RejectionCode.PDF_ACTIVE_CONTENT


def test_a_wrong_stream_length_or_cross_reference_offset_is_broken(write: Callable[..., Path]) -> None:
    plain = _pdf(compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    assert inspect_pdf(write(plain)) == 1
    length = re.search(rb"/Length (\d+)", plain)
    assert length is not None
    shorter = str(int(length[1]) - 5).encode().rjust(len(length[1]))
    wrong_length = write(plain[: length.start(1)] + shorter + plain[length.end(1) :], "length.pdf")
    assert _code(lambda: inspect_pdf(wrong_length)) is RejectionCode.PDF_BROKEN
    start = re.search(rb"startxref\n(\d+)", plain)
    assert start is not None
    wrong_xref = write(
        plain[: start.start(1)] + str(int(start[1]) + 3).encode() + plain[start.end(1) :], "x.pdf"
    )
    assert _code(lambda: inspect_pdf(wrong_xref)) is RejectionCode.PDF_BROKEN


def test_too_many_pages(write: Callable[..., Path]) -> None:
    path = write(_pdf(pages=4))
    assert inspect_pdf(path, max_pages=4) == 4
    assert _code(lambda: inspect_pdf(path, max_pages=3)) is RejectionCode.PDF_TOO_MANY_PAGES


# --- images ---------------------------------------------------------------------------------------


def test_jpeg_loses_exif_gps_icc_and_comments_and_is_turned_upright(write: Callable[..., Path]) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to view"
    exif[ExifTags.Base.Make] = "SecretPhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (43.0, 15.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (76.0, 57.0, 0.0),
    }
    path = write(
        _jpeg(exif=exif, icc_profile=b"ICC-PROFILE-MARKER" * 20, comment=b"COMMENT-MARKER", dpi=(300, 300))
    )
    with Image.open(path) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert before.size == (40, 20)

    strip_image(path, DocumentKind.JPEG)

    data = path.read_bytes()
    for marker in (b"Exif", b"SecretPhoneMaker", b"ICC-PROFILE-MARKER", b"COMMENT-MARKER", b"ICC_PROFILE"):
        assert marker not in data
    with Image.open(path) as after:
        after.load()
        assert after.format == "JPEG"
        assert after.size == (20, 40)  # rotated by the orientation tag, which is gone
        assert not after.getexif()
        assert "icc_profile" not in after.info
        assert "exif" not in after.info
        assert "comment" not in after.info
        assert after.info.get("dpi") == pytest.approx((300, 300))
        pixel = after.convert("RGB").getpixel((10, 5))  # top of the upright image: was the left half
        assert isinstance(pixel, tuple)
        assert pixel[0] > 150 > pixel[2]


def test_png_loses_text_icc_and_exif_chunks(write: Callable[..., Path]) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Secret Author")
    info.add_itxt("Comment", "Қазақ мәтін", lang="kk")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretPhoneMaker"
    path = write(_png(pnginfo=info, icc_profile=b"icc" * 30, exif=exif, dpi=(150, 150)))
    assert b"tEXt" in path.read_bytes()
    assert b"iCCP" in path.read_bytes()

    strip_image(path, DocumentKind.PNG)

    data = path.read_bytes()
    assert set(_png_chunk_types(data)) <= {b"IHDR", b"pHYs", b"IDAT", b"IEND"}
    assert b"Secret" not in data
    with Image.open(path) as after:
        after.load()
        assert after.size == (30, 10)
        assert not after.info.get("icc_profile")


def test_palette_png_keeps_its_transparency(write: Callable[..., Path]) -> None:
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 255, 255])
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)
    path = write(out.getvalue())
    strip_image(path, DocumentKind.PNG)
    with Image.open(path) as after:
        assert after.mode == "P"
        assert after.info.get("transparency") == 0


def test_data_appended_to_an_image_is_dropped(write: Callable[..., Path]) -> None:
    payload = b"PK\x03\x04<html><script>alert(1)</script>"
    path = write(_jpeg() + payload)
    strip_image(path, DocumentKind.JPEG)
    assert b"<script>" not in path.read_bytes()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (_jpeg()[:200], DocumentKind.JPEG),  # truncated
        (b"\xff\xd8\xff" + b"\x00" * 300, DocumentKind.JPEG),
        (_png()[:60], DocumentKind.PNG),
        (
            b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", b"\x00" * 13)[:-4] + b"\x00\x00\x00\x00",
            DocumentKind.PNG,
        ),
        (_png().replace(b"IDAT", b"IDAx"), DocumentKind.PNG),
        (_png(), DocumentKind.JPEG),  # the decoder of the sniffed type only
    ],
    ids=["jpeg-truncated", "jpeg-garbage", "png-truncated", "png-bad-ihdr", "png-no-idat", "png-as-jpeg"],
)
def test_broken_images(write: Callable[..., Path], data: bytes, kind: DocumentKind) -> None:
    path = write(data)
    assert _code(lambda: strip_image(path, kind)) is RejectionCode.IMAGE_BROKEN


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (8_000, 6_000), (1, 50_000_000)])
def test_pixel_floods_are_refused_before_decoding(
    write: Callable[..., Path], width: int, height: int
) -> None:
    path = write(_png_header_only(width, height))
    started = time.perf_counter()
    assert _code(lambda: strip_image(path, DocumentKind.PNG)) is RejectionCode.IMAGE_TOO_MANY_PIXELS
    assert time.perf_counter() - started < 1


def test_the_pixel_limit_is_a_parameter(write: Callable[..., Path]) -> None:
    path = write(_png(size=(100, 100)))
    assert (
        _code(lambda: strip_image(path, DocumentKind.PNG, max_pixels=9_999))
        is RejectionCode.IMAGE_TOO_MANY_PIXELS
    )
    strip_image(path, DocumentKind.PNG, max_pixels=10_000)


# --- check_document: the whole check, off the event loop -------------------------------------------

_PAIRS: list[tuple[str, bytes, RejectionCode | tuple[DocumentKind, int]]] = [
    (
        "setup.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
        RejectionCode.UNKNOWN_TYPE,
    ),
    ("empty.pdf", b"", RejectionCode.EMPTY),
    ("photo.png", b"\x89PNX\r\n\x1a\n" + _png()[8:], RejectionCode.UNKNOWN_TYPE),
    (
        "page.svg",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        RejectionCode.UNKNOWN_TYPE,
    ),
    ("cut.pdf", _pdf(pages=2)[:700], RejectionCode.PDF_BROKEN),
    ("locked.pdf", _pdf(encryption=pikepdf.Encryption(owner="o", user="u")), RejectionCode.PDF_ENCRYPTED),
    ("script.pdf", _pdf(change=_open_action_javascript), RejectionCode.PDF_ACTIVE_CONTENT),
    ("attached.pdf", _pdf(change=_embedded_file), RejectionCode.PDF_ACTIVE_CONTENT),
    ("bomb.png", _png_header_only(100_000, 100_000), RejectionCode.IMAGE_TOO_MANY_PIXELS),
    ("ok.pdf", _pdf(pages=2), (DocumentKind.PDF, 2)),
    ("ok.jpg", _jpeg(), (DocumentKind.JPEG, 1)),
    ("ok.png", _png(), (DocumentKind.PNG, 1)),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("name", "data", "expected"), _PAIRS, ids=[pair[0] for pair in _PAIRS])
async def test_check_document_in_a_worker_thread(
    write: Callable[..., Path], name: str, data: bytes, expected: RejectionCode | tuple[DocumentKind, int]
) -> None:
    path = write(data, name)
    if isinstance(expected, RejectionCode):
        with pytest.raises(DocumentRejected) as caught:
            await check_document(path, isolated=False)
        assert caught.value.code is expected
    else:
        assert await check_document(path, isolated=False) == expected


@pytest.mark.anyio
async def test_check_document_in_a_limited_child_process(write: Callable[..., Path]) -> None:
    """The default: the checks run in the parser pool's limited worker processes."""
    assert await check_document(write(_pdf(pages=3), "a.pdf")) == (DocumentKind.PDF, 3)
    for name, data, code in [
        ("script.pdf", _pdf(change=_open_action_javascript), RejectionCode.PDF_ACTIVE_CONTENT),
        ("bomb.png", _png_header_only(100_000, 100_000), RejectionCode.IMAGE_TOO_MANY_PIXELS),
        ("setup.pdf", b"MZ\x90\x00" * 10, RejectionCode.UNKNOWN_TYPE),  # refused before any child starts
    ]:
        with pytest.raises(DocumentRejected) as caught:
            await check_document(write(data, name))
        assert caught.value.code is code

    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (1.0, 2.0, 3.0)}
    photo = write(_jpeg(exif=exif), "photo.jpg")
    assert await check_document(photo) == (DocumentKind.JPEG, 1)
    with Image.open(photo) as stripped:
        assert not stripped.getexif()  # the child rewrote the file in place


@pytest.mark.anyio
async def test_a_child_that_hangs_or_dies_means_a_broken_file(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(_pdf(), "slow.pdf")
    with pytest.raises(DocumentRejected) as caught:
        await check_document(path, timeout=0.001)  # killed long before the interpreter is up
    assert caught.value.code is RejectionCode.PDF_BROKEN
    assert "timed out" in caught.value.detail

    monkeypatch.setattr(documents, "PARSER_MEMORY_BYTES", 16 * 1024 * 1024)  # too little to even start
    photo = write(_png(), "photo.png")
    with pytest.raises(DocumentRejected) as caught:
        await check_document(photo)
    assert caught.value.code is RejectionCode.IMAGE_BROKEN


def _worker_pids() -> set[int]:
    return {worker.process.pid for worker in documents.parser_pool().idle}


@pytest.mark.anyio
async def test_the_parser_pool_reuses_its_workers(write: Callable[..., Path]) -> None:
    """One worker process serves document after document: no interpreter start per file."""
    pool = documents.parser_pool()
    for number in range(5):
        assert await check_document(write(_pdf(pages=2), f"{number}.pdf")) == (DocumentKind.PDF, 2)
    assert pool.started == 1
    (pid,) = _worker_pids()
    with pytest.raises(DocumentRejected) as caught:  # a refusal leaves the worker usable too
        await check_document(write(_pdf(change=_open_action_javascript), "script.pdf"))
    assert caught.value.code is RejectionCode.PDF_ACTIVE_CONTENT
    assert await check_document(write(_png(), "ok.png")) == (DocumentKind.PNG, 1)
    assert _worker_pids() == {pid}
    assert pool.started == 1


@pytest.mark.anyio
async def test_a_worker_that_died_idle_does_not_break_the_next_check(
    write: Callable[..., Path],
) -> None:
    assert await check_document(write(_pdf(), "a.pdf")) == (DocumentKind.PDF, 1)
    (pid,) = _worker_pids()
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.05)
    assert await check_document(write(_pdf(pages=2), "b.pdf")) == (DocumentKind.PDF, 2)
    assert pid not in _worker_pids()


@pytest.mark.anyio
async def test_a_worker_that_crashes_mid_check_costs_that_check_only(write: Callable[..., Path]) -> None:
    pool = documents.parser_pool()
    assert await check_document(write(_pdf(), "a.pdf")) == (DocumentKind.PDF, 1)
    (pid,) = _worker_pids()
    request = {"path": "/nonexistent/file.pdf", "max_pages": 5, "max_pixels": 5, "cpu_seconds": 5}
    with pytest.raises(documents._WorkerGone):  # the worker dies on the missing file (retried once)
        await pool.check(request, timeout=30)
    assert not _worker_pids()
    assert await check_document(write(_pdf(pages=3), "b.pdf")) == (DocumentKind.PDF, 3)
    assert pid not in _worker_pids()


@pytest.mark.anyio
async def test_a_timeout_mid_check_kills_that_worker_only(write: Callable[..., Path]) -> None:
    pool = documents.parser_pool()
    assert await check_document(write(_pdf(), "a.pdf")) == (DocumentKind.PDF, 1)
    (pid,) = _worker_pids()
    with pytest.raises(DocumentRejected) as caught:
        await check_document(write(_pdf(pages=50), "slow.pdf"), timeout=0.0005)
    assert caught.value.code is RejectionCode.PDF_BROKEN
    assert "timed out" in caught.value.detail
    assert pid not in _worker_pids()
    assert await check_document(write(_pdf(pages=2), "b.pdf")) == (DocumentKind.PDF, 2)
    assert pool.started == 2


@pytest.mark.anyio
async def test_the_pool_runs_at_most_its_size_in_parallel(write: Callable[..., Path]) -> None:
    documents.configure_parsers(workers=2)
    try:
        paths = [write(_pdf(pages=1 + number % 3), f"{number}.pdf") for number in range(8)]
        results: list[tuple[DocumentKind, int]] = []

        async def one(path: Path) -> None:
            results.append(await check_document(path))

        async with anyio.create_task_group() as group:
            for path in paths:
                group.start_soon(one, path)
        assert sorted(pages for _, pages in results) == sorted(1 + number % 3 for number in range(8))
        assert documents.parser_pool().started == 2
        assert len(_worker_pids()) == 2
    finally:
        documents.configure_parsers(workers=0)


@pytest.mark.anyio
async def test_an_idle_worker_exits_and_the_next_check_starts_another(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "PARSER_IDLE_SECONDS", 0.3)
    pool = documents.parser_pool()
    assert await check_document(write(_pdf(), "a.pdf")) == (DocumentKind.PDF, 1)
    (worker,) = pool.idle
    with anyio.fail_after(10):
        assert await worker.process.wait() == 0  # left on its own after 0.3 s without work
    assert await check_document(write(_pdf(pages=2), "b.pdf")) == (DocumentKind.PDF, 2)
    assert pool.started == 2


@pytest.mark.anyio
async def test_a_warmed_pool_serves_the_first_documents_without_starting_a_parser(
    write: Callable[..., Path],
) -> None:
    documents.configure_parsers(workers=2)
    try:
        pool = documents.parser_pool()
        await pool.warm()
        assert pool.started == 2
        assert len(_worker_pids()) == 2
        await pool.warm()  # full already: starts nothing more
        assert pool.started == 2
        for number in range(3):
            assert await check_document(write(_pdf(), f"{number}.pdf")) == (DocumentKind.PDF, 1)
        assert pool.started == 2
    finally:
        documents.configure_parsers(workers=0)


@pytest.mark.anyio
async def test_the_warm_up_loop_fills_the_pool_after_its_delay_unless_stopped_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(documents, "PARSER_WARM_DELAY_SECONDS", 0.05)
    documents.configure_parsers(workers=1)
    try:
        stopped = anyio.Event()
        stopped.set()
        await documents.warm_parser_pool(stopped)  # the app stopped before the delay: nothing starts
        assert documents.parser_pool().started == 0
        await documents.warm_parser_pool(anyio.Event())
        assert documents.parser_pool().started == 1
        assert len(_worker_pids()) == 1
    finally:
        documents.configure_parsers(workers=0)


@pytest.mark.anyio
async def test_closing_the_pool_stops_its_workers(write: Callable[..., Path]) -> None:
    """What the application's lifespan does at shutdown."""
    pool = documents.parser_pool()
    assert await check_document(write(_pdf(), "a.pdf")) == (DocumentKind.PDF, 1)
    (worker,) = pool.idle
    await documents.close_parser_pool()
    assert not pool.idle
    assert worker.process.returncode is not None


def test_a_worker_limits_its_cpu_per_document() -> None:
    import resource

    before = resource.getrlimit(resource.RLIMIT_CPU)
    try:
        documents._limit_cpu(7)
        soft, _ = resource.getrlimit(resource.RLIMIT_CPU)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        assert usage.ru_utime + usage.ru_stime + 7 <= soft <= usage.ru_utime + usage.ru_stime + 9
    finally:
        resource.setrlimit(resource.RLIMIT_CPU, before)


@pytest.mark.anyio
async def test_check_document_enforces_the_size_limit(write: Callable[..., Path]) -> None:
    path = write(_pdf())
    size = path.stat().st_size
    assert await check_document(path, max_bytes=size, isolated=False) == (DocumentKind.PDF, 1)
    with pytest.raises(DocumentRejected) as caught:
        await check_document(path, max_bytes=size - 1, isolated=False)
    assert caught.value.code is RejectionCode.TOO_LARGE
