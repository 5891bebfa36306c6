"""Raw-data generators of the dm_roi project.

- ``contract``: the raw contract as data (tables, columns, enums, vocabulary) and the staging rules in
  Python; standard library only.
- ``mess``: renderings of the contract's mess (offsets, phone / email / handle styles, links), shared
  with the demo generator (``scripts/generate_demo_data.py``, package ``scripts/demo``); standard library only.
- ``generate``: the vectorised generator (numpy + DuckDB) of the five raw tables at any size;
  run it with ``python -m scripts.datagen --sessions N --out DIR`` (``__main__``).

Importing the package imports nothing heavy: the demo generator uses ``contract`` and ``mess`` with
plain ``python3``.
"""
