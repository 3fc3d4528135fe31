"""Integrations with data-processing frameworks (each behind its own extra).

- :mod:`cleaner.integrations.ray`: ``clean_dataset`` for Ray Data
  (``pip install '.[ray]'`` in a checkout).
- :mod:`cleaner.integrations.datatrove`: the ``CleanArticles`` pipeline step
  (``pip install '.[datatrove]'`` in a checkout).
"""
