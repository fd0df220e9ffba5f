"""XML from outside (KML, GPX) is checked before a parser reads it: no document type, so no entities.

A KML or GPX file from a phone app never has a `<!DOCTYPE>`. One that has can declare entities: external ones
that read files or fetch addresses, or nested ones that expand a few hundred bytes into gigabytes ("billion
laughs"). Python's own expat parser, told to stop at the document type, reads the file first: anything with a
document type, and anything that is not well-formed XML, is refused with its line, before fastkml or gpxpy
see it. No dependency is added for this (defusedxml does the same from the same handlers).
"""

from __future__ import annotations

from xml.parsers import expat


class UnsafeXml(ValueError):
    """The file is not plain, well-formed XML; the message names the file and the line."""


class _Stop(Exception):
    pass


def check_xml(
    data: bytes, shown: str, again: tuple[str, str] = ("请从地图软件重新导出", "export the file again from the map app")
) -> None:
    """Refuse XML with a document type (entities) or not well-formed, naming the file and line; `again` says, in
    Chinese and English, how to get a plain file."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args) -> None:
        raise _Stop

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except _Stop:
        line = parser.CurrentLineNumber
        raise UnsafeXml(
            f"{shown} 第 {line} 行：文件带有文档类型声明（<!DOCTYPE>、实体），不予读取；{again[0]} / "
            f"{shown}, line {line}: a document type declaration (<!DOCTYPE>, entities) is not read; {again[1]}"
        ) from None
    except expat.ExpatError as exc:
        raise UnsafeXml(
            f"{shown} 第 {exc.lineno} 行：不是有效的 XML（{expat.ErrorString(exc.code)}） / {shown}, line "
            f"{exc.lineno}: not well-formed XML ({expat.ErrorString(exc.code)})"
        ) from None
