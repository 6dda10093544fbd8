"""Tiny PDFs for the tests, written by hand: a text layer in Helvetica, or only an image.

The bytes follow the PDF 1.4 layout (objects, a cross-reference table with their
offsets, a trailer), so PDF readers open them as they open real files.
"""

from __future__ import annotations


def make_pdf(pages: list[list[str]], *, image: bool = False) -> bytes:
    """A PDF of ``pages``, each a list of text lines (may be empty); with ``image`` each
    page also shows an 8x8 grey image, so ``make_pdf([[]], image=True)`` is a scan."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    picture = None
    if image:
        data = bytes(range(0, 256, 16)) * 4
        picture = add(b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace "
                      b"/DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n" % len(data)
                      + data + b"\nendstream")
    parent = len(objects) + 2 * len(pages) + 1  # the page tree comes after every page
    kids = []
    for lines in pages:
        ops = [b"q 400 0 0 500 100 150 cm /Im1 Do Q"] if image else []
        if lines:
            ops.append(b"BT /F1 12 Tf 14 TL 72 720 Td")
            for line in lines:
                escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append(b"(" + escaped.encode("cp1252") + b") Tj T*")
            ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        resources = b"<< /Font << /F1 %d 0 R >>" % font
        if picture:
            resources += b" /XObject << /Im1 %d 0 R >>" % picture
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources "
                        % parent + resources + b" >> /Contents %d 0 R >>" % content))
    tree = add(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
               + b"] /Count %d >>" % len(kids))
    assert tree == parent
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, catalog, xref))
    return bytes(out)
