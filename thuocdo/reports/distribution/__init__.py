"""The distribution report ("Báo cáo phân bố xếp loại"): a unit subtree's levels in a year or a
month, per subject group, with its drill-down into the child units and the 20% quota flags —
its page (`views`), its JSON, Excel and PDF files (`exports`) and its API endpoint (`api`, which
also serves the Word summary of `reports.documents`). The query it answers is shared with the
other reports and lives in `reports.common`.
"""
