"""The PDF renderer fetches the project's static files and data: URLs, nothing else."""

import pytest

from lib.pdf import RefusedURL, render_document, static_fetcher


def test_a_static_style_sheet_is_read_from_disk():
    response = static_fetcher().fetch("file:///static/css/code_slips.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url", ["http://example.com/x.css", "file:///etc/passwd", "file:///static/../settings.py"]
)
def test_any_other_address_is_refused(url):
    with pytest.raises(RefusedURL):
        static_fetcher().fetch(url)


def test_a_document_styled_by_a_static_sheet_is_laid_out_with_it():
    # weekly_pdf.css puts a page break after each section: two sections, two pages.
    html = (
        '<html><head><link rel="stylesheet" href="/static/css/weekly_pdf.css"></head>'
        "<body><section>1</section><section>2</section></body></html>"
    )
    assert len(render_document(html).pages) == 2
    unstyled = "<html><body><section>1</section><section>2</section></body></html>"
    assert len(render_document(unstyled).pages) == 1
