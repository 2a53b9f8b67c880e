"""Public corrections: anyone may say that a page of the portal is wrong; the secretariat
accepts (the record is changed, with the correction as the reason) or declines, with a reason;
the decisions are public (docs/corrections.md)."""
