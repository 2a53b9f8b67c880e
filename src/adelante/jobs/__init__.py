"""Background jobs kept as rows of the database (the staff's web imports, exchange/jobs.py; the
documents asked for on the reports page, reports/jobs.py): queueing a job's task, noticing a
job whose worker is gone and queueing it again (`queue`), and the pages that follow a job,
shown to the person who started it only (`views`)."""
