"""Reports ("Báo cáo, thống kê"), one sub-package per report: `distribution` (the levels of a
subtree's year, its drill-down and quota flags), `dashboard` (the same drawn as charts and a
map), `trends` (across years and months), `positions` (equivalent positions compared),
`leniency` (the "nể nang" warnings), `documents` (the summary as a Word document) and
`history` (the import of past years' results); what they share — the levels arithmetic, the
scope, the report query, the Excel and PDF writers, the API parameters — is in `common`, which
imports none of them. The app's models, admin, routes, templates and the `report` command stay
at this level.
"""
