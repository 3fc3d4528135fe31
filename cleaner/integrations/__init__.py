"""Integrations with data-processing frameworks (each behind its own extra).

- :mod:`cleaner.integrations.ray`: ``clean_dataset`` for Ray Data
  (``pip install 'clean-articles[ray]'``).
- :mod:`cleaner.integrations.datatrove`: the ``CleanArticles`` pipeline step
  (``pip install 'clean-articles[datatrove]'``).
"""
