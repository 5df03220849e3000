"""One module per group of commands. Each parses what was typed, calls an action and prints;
`allyjournal.cli` loads a module only when one of its commands is run.
"""
