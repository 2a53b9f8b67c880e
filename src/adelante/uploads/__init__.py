"""Bounded work for every upload, and the embedded database kept usable while imports run.

What any uploaded or imported file may cost, checked before anything opens it, and the
limits of the requests that carry them (docs/security.md, "Uploads and the embedded
database"):

* `limits`: the limits, from the settings (each with its default);
* `archives`: ZIP archives (XLSX, DOCX, any Office file) checked from their table of contents
  before they are opened: number of members, total size once expanded, compression ratio;
* `sheets`: a workbook's parts and its sheet checked before openpyxl reads them, and the
  sheet read only as far as its last filled row and column (styled empty rows cost nothing);
* `middleware`: a request whose declared body is too large refused (413) before the body is
  read, and a database too busy to write answered 503 with Retry-After (never a 500);
* `busy`: what "too busy" is, its page or problem, and one import at a time.

A base layer: it imports no app of Adelante, so every app (exchange, workflow, iati) may use it.
"""
