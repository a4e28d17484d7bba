"""The Word template of the annual self-review (`self_review.docx`) and the script that builds
it (`build`), whose page, font and letterhead helpers the ballots' minutes reuse."""
