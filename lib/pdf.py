"""The PDF renderer of the project's HTML documents (WeasyPrint); pages whose text the caller
has already set line by line go to lib.text_pdf instead.

Documents are HTML rendered by the caller's template. WeasyPrint fetches what the HTML links
to (style sheets, images, fonts); here it may fetch only the project's static files, read
from disk, and `data:` URLs — never the network, so a document can neither hang on a URL nor
be made to reach one (a teacher's text in a PDF cannot request an address).

Cost grows with the number of layout boxes (DESIGN.md): lay large grids out as one element
per row, not a <td> per cell.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

PDF_A = "pdf/a-3u"  # the archive's variant: fonts embedded, Unicode text extractable


class RefusedURL(ValueError):
    pass


def _static_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """WeasyPrint's fetcher limited to the project's static files and data: URLs."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            prefix = "/" + settings.STATIC_URL.strip("/") + "/"
            # Relative links resolve against base_url "/" as file:///…; «..» never leaves it.
            path = posixpath.normpath(urlparse(url).path)
            found = finders.find(path[len(prefix) :]) if path.startswith(prefix) else None
            if not found:
                raise RefusedURL(
                    _("Документ ссылается на недоступный адрес: %(url)s") % {"url": url[:100]}
                )
            mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mime})

    return StaticFetcher


def static_fetcher():
    """A fetcher for one document (WeasyPrint 70's URLFetcher: no network, no local files
    beyond the static ones; a refused address stops nothing but that resource)."""
    return _static_fetcher_class()(allowed_protocols={"data", "file", "http", "https"})


def render_document(html: str):
    """The laid-out document: `.pages` (for counting), `.write_pdf()`."""
    from weasyprint import HTML

    return HTML(string=html, base_url="/", url_fetcher=static_fetcher()).render()


def render_pdf(html: str, *, variant: str | None = None, metadata: dict | None = None) -> bytes:
    """A PDF of `html`; `variant=PDF_A` for the archive (PDF/A-3u)."""
    document = render_document(html)
    if metadata:
        for key, value in metadata.items():
            setattr(document.metadata, key, value)
    options = {"pdf_variant": variant} if variant else {}
    return document.write_pdf(**options)
