"""The journal on disk: layout, TinyDB storage, atomic files and the lock, indexes, backups,
migrations and the doctor. The only layer that imports TinyDB; `allyjournal.store` is its door.
"""
