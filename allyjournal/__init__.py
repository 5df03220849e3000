"""allyjournal: log your wins and the allies you help, review each week, export for reviews."""

__version__ = "0.8.0"
