"""What a person sees: plain text for pipes and screen readers, and Rich for terminals.
The only layer that imports Rich; `allyjournal.reports` is its door.
"""
