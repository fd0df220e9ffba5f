"""Portal mode: a site published as a section (专题) of a county's government portal shows the portal's footer
identifiers; with `portal: true` in site.yml a missing one is an error naming the field."""

from __future__ import annotations

from gongshi.content.fields import spec_of
from gongshi.content.model import PortalFooter, SiteConfig
from gongshi.content.read import Document
from gongshi.errors import ContentError


def check_portal(config: SiteConfig, doc: Document) -> list[ContentError]:
    """Every identifier of `footer` that a portal site leaves out, on the line to add it."""
    if not config.portal:
        return []
    errors = []
    for name in PortalFooter.model_fields:
        if getattr(config.footer, name) is not None:
            continue
        spec = spec_of(PortalFooter, name)
        errors.append(
            ContentError(
                doc.file,
                _line(doc, name),
                f"footer.{name}",
                f"portal: true 时必须写{spec.label}（footer 中的 {name}）",
                f"portal: true requires footer.{name} ({spec.label})",
                expected=f"footer:\n      {name}: {spec.example}",
                hint=f"{spec.help}。不是政府门户网站的专题栏目时，写 portal: false。",
            )
        )
    return errors


def _line(doc: Document, name: str) -> int | None:
    """The line to add the identifier on: its own, else footer's, else `portal: true`'s. (Document.line_of
    falls back to the file's first field, the title, which is not where the missing field goes.)"""
    for path in (("footer", name), ("footer",), ("portal",)):
        if path in doc.lines:
            return doc.lines[path]
    return doc.line_of(("portal",))
