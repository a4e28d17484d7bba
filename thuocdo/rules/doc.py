"""A rule-set as a Markdown table for the documentation (`thuocdo rules show ID --markdown`):
each rule with what it does, its document and article, and its status — confirmed, or "chưa
xác nhận căn cứ" with the reason (DESIGN §4.7.9). docs/rules.md holds these tables for the
shipped rule-sets; a test keeps them equal to what this module prints."""

from __future__ import annotations

from .ruleset import UNCONFIRMED_LABEL, RuleSet


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def ruleset_markdown(rs: RuleSet) -> str:
    """The table of a rule-set's rules, with its heading line."""
    lines = [
        f"#### `{rs.id}` — {_cell(rs.title)}",
        "",
        f"Áp dụng cho: {_cell(rs.applies_to)}. Văn bản: {_cell('; '.join(rs.documents))}.",
        "",
        "| Mã | Nội dung | Căn cứ | Trạng thái |",
        "|---|---|---|---|",
    ]
    for r in rs.rules:
        status = "đã xác nhận" if r.confirmed else f"⚠ {UNCONFIRMED_LABEL}: {r.note}"
        source = r.source
        if r.quote:
            source += f" — «{r.quote}»" + ("" if r.quote_lang == "vi" else f" ({r.quote_label})")
        lines.append(f"| `{r.id}` | {_cell(r.label)} | {_cell(source)} | {_cell(status)} |")
    return "\n".join(lines) + "\n"
