"""The summary as one self-contained HTML file (and the HTML the PDF is typeset from).

Self-contained means: the CSS is inline, the charts are inline SVG, and nothing is loaded
from anywhere — no scripts, fonts, images or style sheets by URL. The only URLs are plain
links to the photos' own Flickr pages, where they can be made private. Every value is
HTML-escaped: file names and metadata are hostile input.

``flavour="qt"`` makes the same document in the HTML subset Qt's ``QTextDocument`` typesets
(no inline SVG: charts become ``<img src="chart:…">`` resources the PDF writer supplies).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Literal

from photoscan.model import MediaKind, RiskLevel
from photoscan.report.charts import bar_chart
from photoscan.report.summary import ActionGroup, PhotoLine, ReportSummary

Flavour = Literal["browser", "qt"]
MAX_ROWS = 1000  # per table in HTML/PDF with details; CSV and JSON list everything
EXAMPLES = 3  # photos shown per action without details
TOP_RISK = 8  # the highest-risk photos shown without details
BREAK = "\u200b"  # a zero-width space: long file names wrap at their path separators
LEVEL_COLOURS: dict[RiskLevel, str] = {
    RiskLevel.HIGH: "#c62828",
    RiskLevel.MEDIUM: "#ef6c00",
    RiskLevel.LOW: "#f0b400",
    RiskLevel.NONE: "#2e7d32",
}
KIND_COLOUR = "#3f6fb5"
# Belt and braces: even if a value slipped through, the browser may load nothing at all.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"
CSS = """
body { font-family: sans-serif; color: #222; margin: 2em auto; max-width: 60em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; margin-bottom: 0.3em; }
p.meta, p.note { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em 0; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #e3e3e3;
         vertical-align: top; font-size: 0.9em; }
th { background: #f2f2f2; }
td.num { text-align: right; }
span.level { font-weight: bold; }
span.high { color: #c62828; } span.medium { color: #ef6c00; }
span.low { color: #a07000; } span.none { color: #2e7d32; }
div.charts svg { margin: 0.5em 1em 0.5em 0; }
"""


def chart_svgs(summary: ReportSummary, standalone: bool = False) -> dict[str, str]:
    """The report's charts by name, as SVG text."""
    levels = [(lvl.value.capitalize(), n, LEVEL_COLOURS[lvl]) for lvl, n in summary.by_level]
    kinds = [(label, n, KIND_COLOUR) for label, n in summary.by_kind[:10]]
    extra = [("Showing children", summary.children, LEVEL_COLOURS[RiskLevel.HIGH])]
    extra.append(("Showing faces", summary.with_faces, KIND_COLOUR))
    files = summary.nouns[0]
    return {
        "levels": bar_chart(f"{files.capitalize()} by risk level", levels, standalone),
        "kinds": bar_chart(f"What the {files} give away", extra + kinds, standalone),
    }


def _path(text: str) -> str:
    """A file name, escaped, that may wrap after each ``/``."""
    return escape(text).replace("/", "/" + BREAK)


def _level(level: RiskLevel) -> str:
    return f'<span class="level {level.value}">{escape(level.value)}</span>'


def _rows_note(total: int, shown: int = MAX_ROWS) -> str:
    if total <= shown:
        return ""
    where = "in the report with every photo listed, and " if shown < MAX_ROWS else ""
    return f'<p class="note">… and {total - shown} more ({where}in the CSV/JSON report).</p>'


def _action_table(
    group: ActionGroup, locations: bool, details: bool = True, column: str = "Photo"
) -> list[str]:
    page_col = group.action.value == "make_private"
    why_col = group.action.value != "ok_to_share"
    head = [column, "Risk"] + (["Why"] if why_col else []) + (["Flickr page"] if page_col else [])
    head += ["Latitude", "Longitude"] if locations else []
    out = [f"<h3>{escape(group.label)} ({len(group.photos)})</h3>"]
    if group.action.value == "check_faces":
        out.append(
            '<p class="note">photoscan did not look for faces in these (the scan was '
            f"cancelled or run without faces, or the {column.lower()} could not be decoded): "
            "they are not counted as safe. Look at them yourself, or run the report again with "
            "face detection on.</p>"
        )
    out.append(_table_head(head))
    shown = MAX_ROWS if details else EXAMPLES
    if not details:
        out.append('<p class="note">For example:</p>')
    for p in group.photos[:shown]:
        cells = [_path(p.path), _level(p.level)]
        cells += [escape("; ".join(group.reasons_for(p)) or "—")] if why_col else []
        if page_col:
            cells.append(
                f'<a href="{escape(p.flickr_page)}">open on Flickr</a>' if p.flickr_page else "—"
            )
        cells += _coords(p) if locations else []
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    out.append(_rows_note(len(group.photos), shown))
    return out


def _coords(p: PhotoLine) -> list[str]:
    return [
        f"{p.lat:.6f}" if p.lat is not None else "—",
        f"{p.lon:.6f}" if p.lon is not None else "—",
    ]


def _table_head(columns: Sequence[str]) -> str:
    return (
        '<table width="100%" cellspacing="0"><tr>'
        + "".join(f"<th>{escape(c)}</th>" for c in columns)
        + "</tr>"
    )


def _count_table(*cells: tuple[str, int]) -> str:
    head = _table_head([label for label, _ in cells])
    row = "".join(f'<td class="num">{n}</td>' for _, n in cells)
    return f"{head}<tr>{row}</tr></table>"


def _places(summary: ReportSummary) -> list[str]:
    repeated = [g for g in summary.places if g.repeated]
    others = [g for g in summary.places if not g.repeated]
    out = ["<h2>Places</h2>"]
    files, column = summary.nouns
    counted = f"{column}s"  # the column of how many there are
    if not summary.places:
        return [*out, f'<p class="note">No {column.lower()} carries a location.</p>']
    if repeated:
        out.append(
            f'<h3>Places you return to</h3><p class="note">Five or more {files} within about '
            "100 m on three or more days: usually a home, a school or a workplace.</p>"
        )
        out.append(
            _table_head(
                ["Near", "Country", counted, "Days"]
                + (["Centre"] if summary.include_locations else [])
            )
        )
        for g in repeated:
            centre = [f"{g.center[0]:.5f}, {g.center[1]:.5f}"] if g.center else ["—"]
            cells = [escape(g.name or "—"), escape(g.country), str(g.photos), _days(g.days)]
            cells += centre if summary.include_locations else []
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</table>")
    else:
        out.append('<p class="note">No place you keep returning to was found.</p>')
    if others and not summary.include_places:
        out.append(
            '<h3>Other places, by country</h3><p class="note">Towns and neighbourhoods are '
            "left out of this report (photoscan report --places names them).</p>"
        )
        out.append(_table_head(["Country", counted]))
        for g in others[:MAX_ROWS]:
            out.append(f"<tr><td>{escape(g.country or '—')}</td><td>{g.photos}</td></tr>")
        out.append("</table>")
    elif others:
        out.append("<h3>Other places</h3>" + _table_head(["Near", "Country", counted, "Days"]))
        for g in others[:MAX_ROWS]:
            cells = [escape(g.name), escape(g.country), str(g.photos), _days(g.days)]
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</table>")
    return out


def _days(days: int) -> str:
    """'—' when no photo of the place has a date (never 'Days 0')."""
    return str(days) if days else "—"


def _top_risk(summary: ReportSummary) -> list[str]:
    top = [p for p in summary.photos if p.level is RiskLevel.HIGH][:TOP_RISK]
    if not top:
        return []
    files, column = summary.nouns
    out = [f"<h2>Highest-risk {files}</h2>", _table_head([column, "Score", "Why"])]
    for p in top:
        cells = [_path(p.path), str(p.score), escape("; ".join(p.reasons) or "—")]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return out


def _photos(summary: ReportSummary) -> list[str]:
    locations = summary.include_locations
    files, column = summary.nouns
    head = [column, "Risk", "Score", "Children", "Faces", "Place", "Why"]
    head += ["Latitude", "Longitude"] if locations else []
    out = [f"<h2>All {files}</h2>", _table_head(head)]
    for p in summary.photos[:MAX_ROWS]:
        cells = [
            _path(p.path) + (f" ({p.media.value})" if p.media is not MediaKind.PHOTO else ""),
            _level(p.level),
            str(p.score),
            _children_cell(p),
            str(p.faces) if p.faces_checked else "—",
            escape(p.place or "—"),
            escape("; ".join(p.reasons) or "—"),
        ]
        cells += _coords(p) if locations else []
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    out.append(_rows_note(len(summary.photos)))
    return out


def _what(summary: ReportSummary) -> str:
    photos, videos = summary.total - summary.videos, summary.videos
    if not videos:
        return f"{photos} photos"
    counted = f"{videos} video" + ("" if videos == 1 else "s")
    return counted if not photos else f"{photos} photo{'' if photos == 1 else 's'} and {counted}"


def _children_cell(p: PhotoLine) -> str:
    """'possible child — please check' apart from a sure 'yes'; 'faces not checked' never
    'no'."""
    possible = "possible child — please check"
    if p.possible_children and not p.sure_children:
        return possible
    if p.children:
        return f"yes; {possible}" if p.possible_children else "yes"
    return "faces not checked" if not p.faces_checked else "no"


def render_html(summary: ReportSummary, flavour: Flavour = "browser") -> str:
    """The whole report as one HTML document."""
    counts = dict(summary.by_level)
    title = f"What your {summary.nouns[0]} give away — {summary.folder}"
    redaction = (
        "This report includes coordinates and the full folder path, as you asked."
        if summary.include_locations
        else "Shareable: paths are relative to the folder, no coordinates, no thumbnails, "
        "no people's names."
    )
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{_what(summary)} · made {escape(summary.generated)} by '
        f"photoscan {escape(summary.version)}, offline · faces checked in "
        f"{summary.faces_checked} of {summary.total}</p>",
        f'<p class="note">{escape(redaction)}</p>',
    ]
    if summary.cancelled:
        body.append('<p class="note"><b>The scan was cancelled: this report is partial.</b></p>')
    body += [
        "<h2>At a glance</h2>",
        # Two tables of four: eight columns squeezed into a page break the words mid-word.
        _count_table(
            ("High risk", counts.get(RiskLevel.HIGH, 0)),
            ("Medium", counts.get(RiskLevel.MEDIUM, 0)),
            ("Low", counts.get(RiskLevel.LOW, 0)),
            ("None", counts.get(RiskLevel.NONE, 0)),
        ),
        _count_table(
            ("Showing children", summary.children),
            ("Possible child — please check", summary.possible_children),
            ("With faces", summary.with_faces),
            ("Faces not checked", summary.total - summary.faces_checked),
        ),
    ]
    charts = chart_svgs(summary)
    if flavour == "browser":
        body.append('<div class="charts">' + "".join(charts.values()) + "</div>")
    else:
        body += [f'<p><img src="chart:{name}" width="560"></p>' for name in charts]
    body += _top_risk(summary)
    body.append("<h2>What to do</h2>")
    column = summary.nouns[1]
    if not summary.actions:
        body.append('<p class="note">No photos were found.</p>')
    for group in summary.actions:
        body += _action_table(group, summary.include_locations, summary.details, column)
    body += _places(summary)
    if summary.details:
        body += _photos(summary)
    if summary.errors:
        shown = MAX_ROWS if summary.details else EXAMPLES
        body += [f"<h2>Files not read ({len(summary.errors)})</h2>", _table_head(["File", "Why"])]
        body += [
            f"<tr><td>{_path(e.path)}</td><td>{escape(e.reason)}</td></tr>"
            for e in summary.errors[:shown]
        ]
        body += ["</table>", _rows_note(len(summary.errors), shown)]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body></html>\n"
    )
