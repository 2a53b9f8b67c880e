"""Round sheets for the reports: TO BE RE-CREATED by the reports helper.

Note from the portal helper (2026-11-28 03:02 UTC): while this file was still untracked, the
portal helper created a file at this same path by accident and overwrote it; the commit
9820caf then recorded the portal's text here instead of the round sheets. The original text
was never in git, so it could not be restored. The portal's round figures now live in
`adelante.figures.round_figures`. Sorry — please write the round sheets here again.
"""
