"""Build .docx files in memory for importer tests, including Word's automatic list
numbering (w:numPr in the paragraph properties; the numbers are not in the text)."""

import io

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# A multilevel list as Chinese plans use it: 一、 / （一） / 1. / （1）.
LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）")]


def add_numbering(document, num_id: int = 90, levels=LEVELS) -> int:
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}"><w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    # abstractNum elements must precede num elements in numbering.xml.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))
    return num_id


def numbered(document, text: str, ilvl: int, num_id: int = 90):
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return p


def auto_numbered_docx(rows, title: str = "") -> bytes:
    """rows: [(ilvl, text)] numbered by Word; (None, text) a plain paragraph."""
    document = docx.Document()
    add_numbering(document)
    if title:
        document.add_paragraph(title)
    for ilvl, text in rows:
        if ilvl is None:
            document.add_paragraph(text)
        else:
            numbered(document, text, ilvl)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def plain_docx(paragraphs) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
