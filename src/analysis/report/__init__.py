"""Output: the notebook helper, annex, figures, HTML pages, the runner and the command line."""
