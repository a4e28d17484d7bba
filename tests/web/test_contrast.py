"""Messages, badges, flags, levels and the map's tiles keep a contrast of at least 4.5:1 (WCAG 2.1
AA, normal text): read from the stylesheets themselves, so a colour changed later is checked too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from thuocdo.org.models import Unit
from thuocdo.reports.common.levels import LevelCounts
from thuocdo.reports.dashboard.charts import SHADES, Tile

ROOT = Path(__file__).resolve().parents[2]
CSS = (ROOT / "static" / "thuocdo" / "app.css").read_text()
REPORTS_CSS = (ROOT / "thuocdo" / "reports" / "static" / "reports" / "reports.css").read_text()
AA = 4.5


def _luminance(hex_colour: str) -> float:
    if len(hex_colour) == 4:  # #rgb
        hex_colour = "#" + "".join(c * 2 for c in hex_colour[1:])
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two #rrggbb (or #rgb) colours."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rule(selector: str) -> dict[str, str]:
    """The colour and background of the first rule whose selector list holds `selector`."""
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", CSS):
        if selector in [s.strip() for s in selectors.split(",")]:
            pairs = re.findall(r"(?<![-\w])(background|color):\s*(#[0-9a-fA-F]{3,6})\b", body)
            found = dict(pairs)
            if "color" in found and "background" in found:
                return found
    raise AssertionError(f"no colours for {selector}")


@pytest.mark.parametrize(
    "selector",
    [
        "article.message-success",
        "article.message-info",
        "article.message-warning",
        "article.message-error",
        ".badge",
        ".todo-flag",
        "p.calm",
    ],
)
def test_text_and_background_reach_aa_contrast(selector):
    colours = _rule(selector)
    assert contrast(colours["color"], colours["background"]) >= AA


def test_the_check_itself_tells_black_on_white_from_grey_on_red():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#373c44", "#a51d2d") < AA  # the old login error


@pytest.mark.parametrize("level", ["htxs", "htt", "htnv", "kht"])
def test_each_level_reads_in_white_on_its_colour(level):
    colour = re.search(rf"--td-{level}:\s*(#[0-9a-fA-F]{{6}})", CSS)
    assert colour is not None
    assert contrast("#ffffff", colour.group(1)) >= AA


def test_the_maps_tiles_keep_their_words_readable_on_every_shade():
    words = re.search(r"\.rp-map a \{[^}]*?(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})\b", REPORTS_CSS)
    white = re.search(r"\.rp-map li\.rp-dark a \{\s*color:\s*(#[0-9a-fA-F]{3,6})\b", REPORTS_CSS)
    assert words is not None and white is not None
    for shade, colour in enumerate(SHADES):
        tile = Tile(unit=Unit(name="Quận 1"), counts=LevelCounts(), shade=shade, over_quota=False)
        text = white.group(1) if tile.dark else words.group(1)
        assert contrast(text, colour) >= AA, (colour, text)
