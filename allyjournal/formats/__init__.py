"""File formats: each module owns one format's reading and writing (CSV, JSON, jrnl,
Markdown, HTML), so an export and the import that reads it back stay side by side.
"""
