"""The staff guide in a real Chromium: the field table readable on a phone, the schema served.
(Its pages load cleanly: tests/test_browser_spine.py.)"""

from __future__ import annotations

import json

from browser import open_page


def test_schema_link_serves_json(context, site_url):
    visit = open_page(context, site_url, "guide/editor/")
    link = visit.page.locator("a[href$='schema/project.schema.json']").first
    href = link.get_attribute("href")
    response = visit.page.request.get(visit.page.url + href)
    assert response.ok
    assert json.loads(response.text())["properties"]["investment"]


def test_field_table_fits_a_phone(browser, site_url):
    phone = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    try:
        visit = open_page(phone, site_url, "guide/fields/")
        page = visit.page
        # The wide table scrolls inside its own box; the page itself does not scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert page.locator("table.gs-fields tbody tr").count() > 40
    finally:
        phone.close()
