"""The one PDF renderer of the project (WeasyPrint).

Documents are HTML rendered by the caller's template. WeasyPrint fetches what the HTML links
to (style sheets, images, fonts); here it may fetch only the project's static files, read
from disk, and `data:` URLs — never the network, so a document can neither hang on a URL nor
be made to reach one (a teacher's text in a PDF cannot request an address).

Cost grows with the number of layout boxes (DESIGN.md): lay large grids out as one element
per row, not a <td> per cell.
"""

import mimetypes
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

PDF_A = "pdf/a-3u"  # the archive's variant: fonts embedded, Unicode text extractable


class RefusedURL(ValueError):
    pass


def static_fetcher(url: str, timeout=10, ssl_context=None):
    """WeasyPrint's url_fetcher limited to static files and data: URLs."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = urlparse(url).path  # relative links resolve against base_url "/" as file:///…
    found = finders.find(path[len(prefix) :]) if path.startswith(prefix) else None
    if not found:
        raise RefusedURL(_("Документ ссылается на недоступный адрес: %(url)s") % {"url": url[:100]})
    return {
        "string": Path(found).read_bytes(),
        "mime_type": mimetypes.guess_type(found)[0] or "application/octet-stream",
        "redirected_url": url,
    }


def render_document(html: str):
    """The laid-out document: `.pages` (for counting), `.write_pdf()`."""
    from weasyprint import HTML

    return HTML(string=html, base_url="/", url_fetcher=static_fetcher).render()


def render_pdf(html: str, *, variant: str | None = None, metadata: dict | None = None) -> bytes:
    """A PDF of `html`; `variant=PDF_A` for the archive (PDF/A-3u)."""
    document = render_document(html)
    if metadata:
        for key, value in metadata.items():
            setattr(document.metadata, key, value)
    options = {"pdf_variant": variant} if variant else {}
    return document.write_pdf(**options)
