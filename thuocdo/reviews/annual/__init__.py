"""The annual cycle: opening a year's evaluations, the self-review and the leader's sheet,
the organiser's verification, the engine's proposal, the competent authority's conclusion,
publication, appeals (kiến nghị), locking and reopening. It holds the rule-set look-ups
(`tracks`), the scoped reads (`selectors`), the audited writes (`services`, one module per
step, and `appeals`), the Word self-review (`documents`, `docx/`), the pages (`views`) and the
REST endpoints (`api`). It reads the monthly scores kept by `thuocdo.reviews.monthly`."""
