"""Background jobs on Django's task framework (django-tasks + django-tasks-db).

Public API: `thuocdo.jobs.registry.job` (register a kind), `thuocdo.jobs.services.job_start`
and `job_retry`, `thuocdo.jobs.progress.Progress`, the template
`jobs/_job_progress.html`. See docs/operations.md.
"""
