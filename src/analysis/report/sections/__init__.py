"""The sections of each report: one function per section of a notebook, which takes the
notebook helper (`report`) and the loaded tables, and tells that part of the story through
the helper (text from the catalogs, numbered figures and tables). The notebooks call them in
order; the findings come from the diagnostic wing, the drawings from report/figures."""
