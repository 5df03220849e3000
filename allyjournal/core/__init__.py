"""The bottom layer: plain data and rules that every other layer shares.

Models, the vocabulary of allyship, dates, text handling, settings and the domain's errors.
Nothing here reads or writes a file, and nothing imports from the layers above.
"""
