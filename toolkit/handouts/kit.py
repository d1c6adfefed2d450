"""A module's print kit as one PDF: cards to cut, posters for the wall, the fact sheet, the wheel.

Layout, in print order:

- a cover with the contents and the page each part starts on, so a
  coordinator can print only the pages needed;
- card sheets: several cards to a page of the cohort's paper, each card
  framed by a dashed cut line with cut marks at its corners; a card's
  ``back`` prints under a rule on the card itself, so no duplex alignment
  is needed;
- posters, one to a page in large type (``page-break`` on both sides), with
  write-in columns for gallery posters and a "checked on" line for dated ones;
- the fact sheet, one box per claim ending with its "checked on" line; its
  claims also print as claim cards;
- the identity wheel, one page: the sheet stays with its owner.

Every string from the curriculum or the cohort is escaped here; the CSS is
built from fixed values and the cohort's paper size and font stack only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from toolkit import __version__
from toolkit.handouts.pdf import html_to_pdf
from toolkit.i18n import Translate, translator
from toolkit.languages import font_stack
from toolkit.schema.cohort import Cohort
from toolkit.schema.kit import Card, CardKind, CardSet, FactSheet, IdentityWheel, Kit, Poster, PosterSet
from toolkit.schema.module import Module

# Cards whose text is wider than this (see _width) print four to a sheet, not six.
LONG_CARD = 420

CSS = """
@page {{ size: {paper}; margin: 12mm;
  @bottom-right {{ content: counter(page) " / " counter(pages); font-family: {fonts}; font-size: 8pt; }}
  @bottom-left {{ content: string(kit-title); font-family: {fonts}; font-size: 8pt; }} }}
/* Posters go on the wall and wheel sheets go home with participants: no kit title on them. */
@page bare {{ @bottom-left {{ content: none; }} }}
.poster, .wheel-part {{ page: bare; }}
body {{ font-family: {fonts}; font-size: 11pt; line-height: 1.4; color: #111; margin: 0; }}
.kit-title {{ string-set: kit-title content(); }}
h1 {{ font-size: 20pt; margin: 0 0 6mm; }}
h2 {{ font-size: 14pt; margin: 0 0 2mm; }}
.part {{ break-before: page; }}
.note {{ font-size: 9.5pt; margin: 0 0 3mm; }}
.contents a {{ color: #111; text-decoration: none; }}
.contents a::after {{ content: leader('.') target-counter(attr(href), page); }}
.sheet {{ break-before: page; }}
.card {{ display: inline-block; box-sizing: border-box; vertical-align: top; position: relative;
  width: 88mm; min-height: 68mm; margin: 2.5mm 2mm; padding: 5mm; border: 0.6pt dashed #555;
  break-inside: avoid; }}
.sheet.long .card {{ min-height: 100mm; font-size: 9.5pt; }}
.card .kind {{ font-size: 8pt; text-transform: uppercase; letter-spacing: 0.05em; color: #333; margin: 0; }}
.card .title {{ font-weight: bold; margin: 0 0 2mm; }}
.card .text {{ margin: 0; }}
.card .back {{ border-top: 0.6pt solid #555; margin-top: 3mm; padding-top: 2mm; font-size: 9.5pt; }}
.card .checked, .poster .checked, .claim .checked {{ font-size: 9pt; margin-top: 2mm; }}
.mark {{ position: absolute; width: 5mm; height: 5mm; }}
.mark::before {{ content: ""; position: absolute; left: 0; right: 0; top: 2.5mm; border-top: 0.5pt solid #000; }}
.mark::after {{ content: ""; position: absolute; top: 0; bottom: 0; left: 2.5mm; border-left: 0.5pt solid #000; }}
.tl {{ top: -2.5mm; left: -2.5mm; }} .tr {{ top: -2.5mm; right: -2.5mm; }}
.bl {{ bottom: -2.5mm; left: -2.5mm; }} .br {{ bottom: -2.5mm; right: -2.5mm; }}
.poster {{ break-before: page; break-after: page; }}
.poster h2 {{ font-size: 40pt; line-height: 1.15; margin: 0 0 8mm; }}
.poster.short .text {{ font-size: 28pt; }}
.poster.medium .text {{ font-size: 18pt; }}
.poster.long .text {{ font-size: 14pt; line-height: 1.35; }}
.poster .columns {{ display: table; width: 100%; table-layout: fixed; margin-top: 8mm; border-collapse: collapse; }}
.poster .column {{ display: table-cell; height: 130mm; border: 1pt solid #111; padding: 3mm;
  font-size: 16pt; font-weight: bold; vertical-align: top; }}
.poster .checked {{ font-size: 12pt; margin-top: 6mm; }}
.claim {{ border: 1pt solid #111; padding: 4mm; margin: 0 0 4mm; break-inside: avoid; }}
.claim h3 {{ font-size: 12pt; margin: 0 0 2mm; }}
.claim p {{ margin: 0 0 2mm; }}
.wheel svg {{ display: block; margin: 4mm auto; width: 150mm; height: 150mm; }}
.wheel ol {{ font-size: 10pt; columns: 2; }}
"""


def render_kit(kit: Kit, module: Module, cohort: Cohort) -> str:
    """The kit as a complete HTML document in the cohort's language and paper size."""
    _ = translator(cohort.language)
    title = _("Print kit: {number}. {title}").format(number=module.number, title=module.title)
    parts: list[_Part] = [
        _Part(f"cards-{card_set.id}", card_set.title, card_set.note, _card_sheets(card_set, _), headless=True)
        for card_set in kit.card_sets
    ]
    if kit.fact_sheet is not None:
        claims = _claim_cards(kit.fact_sheet, _)
        parts.append(_Part(f"claims-{kit.fact_sheet.id}", claims.title, "", _card_sheets(claims, _), headless=True))
    parts += [
        _Part(f"posters-{poster_set.id}", poster_set.title, poster_set.note, _posters(poster_set, _), headless=True)
        for poster_set in kit.poster_sets
    ]
    if kit.fact_sheet is not None:
        sheet = kit.fact_sheet
        parts.append(_Part(f"facts-{sheet.id}", sheet.title, sheet.note, _fact_sheet(sheet, _)))
    if kit.wheel is not None:
        parts.append(
            _Part(f"wheel-{kit.wheel.id}", kit.wheel.title, kit.wheel.note, _wheel(kit.wheel), css_class="wheel-part")
        )
    css = CSS.format(paper=cohort.paper.value, fonts=font_stack(cohort.language))
    contents = "".join(
        f'<li><a href="#{escape(part.anchor)}">{escape(part.heading)}</a>'
        + (f'<br><span class="note">{escape(part.note)}</span>' if part.note else "")
        + "</li>"
        for part in parts
    )
    body = "".join(part.html() for part in parts)
    return (
        f'<!DOCTYPE html><html lang="{escape(cohort.language)}"><head><meta charset="utf-8">'
        f'<meta name="generator" content="Bridges {escape(__version__)}">'
        f"<title>{escape(title)}</title><style>{css}</style></head><body><main>"
        f'<section class="cover"><p>{escape(cohort.name)}</p><h1 class="kit-title">{escape(title)}</h1>'
        f"<p>{escape(_('For the facilitator: print the pages you need, cut the cards along the dashed lines.'))}</p>"
        f'<h2>{escape(_("Contents"))}</h2><ul class="contents">{contents}</ul></section>'
        f"{body}</main></body></html>"
    )


@dataclass(frozen=True)
class _Part:
    anchor: str
    heading: str
    note: str  # printing instructions: on the cover, and above the cards or the fact sheet
    body: str
    # Card sheets and posters fill whole pages and start on their own: their heading and
    # note are on the cover only (each card names its set; a wall poster carries only itself).
    headless: bool = False
    css_class: str = ""

    def html(self) -> str:
        anchor = escape(self.anchor)
        if self.headless:
            return f'<section id="{anchor}" aria-label="{escape(self.heading)}">{self.body}</section>'
        note = f'<p class="note">{escape(self.note)}</p>' if self.note else ""
        return (
            f'<section class="part {self.css_class}" id="{anchor}" aria-labelledby="{anchor}-h">'
            f'<h1 id="{anchor}-h">{escape(self.heading)}</h1>{note}{self.body}</section>'
        )


def kit_pdf(kit: Kit, module: Module, cohort: Cohort) -> bytes:
    """The kit as a tagged PDF (run in a build worker)."""
    return html_to_pdf(render_kit(kit, module, cohort))


def _checked(date: object, _: Translate) -> str:
    return f'<p class="checked">{escape(_("Checked on {date}").format(date=date))}</p>'


def _card_sheets(card_set: CardSet, _: Translate) -> str:
    long = max(_width(card.text) + _width(card.back) for card in card_set.cards) > LONG_CARD
    per_sheet = 4 if long else 6
    sheets = [
        f'<div class="sheet{" long" if long else ""}">{"".join(_card(card, card_set.title, _) for card in chunk)}</div>'
        for chunk in _chunks(card_set.cards, per_sheet)
    ]
    return "".join(sheets)


def _card(card: Card, kind: str, _: Translate) -> str:
    marks = "".join(f'<span class="mark {corner}" aria-hidden="true"></span>' for corner in ("tl", "tr", "bl", "br"))
    title = f'<p class="title">{escape(card.title)}</p>' if card.title else ""
    back = f'<div class="back">{_paragraphs(card.back)}</div>' if card.back else ""
    checked = _checked(card.checked, _) if card.checked else ""
    return (
        f'<div class="card">{marks}<p class="kind">{escape(kind)}</p>{title}'
        f'<div class="text">{_paragraphs(card.text)}</div>{back}{checked}</div>'
    )


def _claim_cards(fact_sheet: FactSheet, _: Translate) -> CardSet:
    """The fact sheet's claims as the cards read aloud; the record stays on the fact sheet."""
    cards = [
        Card(id=claim.id, title=str(number), text=claim.claim) for number, claim in enumerate(fact_sheet.claims, 1)
    ]
    return CardSet(id=fact_sheet.id, kind=CardKind.CLAIM, title=_("Claim cards"), cards=cards)


def _posters(poster_set: PosterSet, _: Translate) -> str:
    return "".join(_poster(poster, poster_set.columns, _) for poster in poster_set.posters)


def _poster(poster: Poster, columns: list[str], _: Translate) -> str:
    width = _width(poster.text)
    size = "short" if width <= 120 else "medium" if width <= 700 else "long"
    cells = "".join(f'<div class="column">{escape(column)}</div>' for column in columns)
    grid = f'<div class="columns">{cells}</div>' if columns else ""
    checked = _checked(poster.checked, _) if poster.checked else ""
    return (
        f'<article class="poster {size}"><h2>{escape(poster.title)}</h2>'
        f'<div class="text">{_paragraphs(poster.text)}</div>{grid}{checked}</article>'
    )


def _fact_sheet(fact_sheet: FactSheet, _: Translate) -> str:
    return "".join(
        f'<div class="claim"><h3>{number}. {escape(claim.claim)}</h3>'
        f"<p>{escape(claim.text)}</p>"
        f"<p><strong>{escape(_('Source'))}:</strong> {escape(claim.source)}</p>"
        f"{_checked(claim.checked, _)}</div>"
        for number, claim in enumerate(fact_sheet.claims, 1)
    )


def _wheel(wheel: IdentityWheel) -> str:
    """A circle cut into one numbered segment per spoke; the labels are listed under it."""
    count = len(wheel.segments)
    centre, radius = 100.0, 95.0
    lines, numbers = [], []
    for index in range(count):
        angle = 2 * math.pi * index / count - math.pi / 2
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        lines.append(f'<line x1="{centre}" y1="{centre}" x2="{x:.2f}" y2="{y:.2f}" stroke="#111" stroke-width="0.6"/>')
        middle = angle + math.pi / count
        nx, ny = centre + 0.85 * radius * math.cos(middle), centre + 0.85 * radius * math.sin(middle)
        numbers.append(
            f'<text x="{nx:.2f}" y="{ny:.2f}" font-size="7" text-anchor="middle" '
            f'dominant-baseline="middle">{index + 1}</text>'
        )
    svg = (
        '<svg viewBox="0 0 200 200" role="img" aria-label="' + escape(wheel.title) + '">'
        f'<circle cx="{centre}" cy="{centre}" r="{radius}" fill="none" stroke="#111" stroke-width="0.8"/>'
        + "".join(lines)
        + f'<circle cx="{centre}" cy="{centre}" r="12" fill="#fff" stroke="#111" stroke-width="0.6"/>'
        + "".join(numbers)
        + "</svg>"
    )
    legend = "".join(
        f"<li><strong>{escape(segment.label)}</strong>{' — ' + escape(segment.hint) if segment.hint else ''}</li>"
        for segment in wheel.segments
    )
    return f'<div class="wheel">{svg}<ol>{legend}</ol></div>'


def _width(text: str) -> int:
    """Roughly how much line a text fills: CJK and Hangul characters are twice as wide as Latin ones."""
    return sum(2 if ord(char) >= 0x1100 and not 0x1E00 <= ord(char) < 0x2000 else 1 for char in text)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip())


def _chunks(items: list[Card], size: int) -> Iterable[list[Card]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
