"""The verbs: log, edit, find, review, export, import. Each takes a journal and typed values
and returns data; none prints or parses a command line.
"""
