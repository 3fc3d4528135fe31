"""Ray Data: clean a dataset's text column on every node of a cluster.

    import ray
    from cleaner.integrations.ray import clean_dataset

    ds = ray.data.read_json("s3://bucket/corpus/")          # any Ray Data source
    cleaned = clean_dataset(ds, column="text", cleaner_options={"select": ["BP", "WS"]})
    cleaned.write_json("s3://bucket/clean/")

``clean_dataset`` is a lazy ``map_batches`` with a callable class: each Ray
actor builds its :class:`~cleaner.Cleaner` once (from the pickled one, or
from ``cleaner_options``) and cleans batch after batch. The text column is
replaced by the clean text; the other columns are kept; ``edits_column``
(JSON: the applied edits, which :func:`cleaner.revert` with
:meth:`cleaner.Edit.from_json` undoes) and ``language_column`` are added.
Like any Ray Data transformation, blocks may come back in another order than
they went in; set ``ray.data.DataContext.get_current().execution_options.
preserve_order = True`` when the order matters, or keep an id column.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np

from ..api import Cleaner
from ._options import make_cleaner

if TYPE_CHECKING:  # pragma: no cover
    import ray.data


class CleanBatch:
    """The per-actor callable: a cleaner built once, then batches of rows."""

    def __init__(
        self,
        cleaner: Cleaner | None = None,
        cleaner_options: dict[str, Any] | None = None,
        column: str = "text",
        lang: str | None = None,
        source_lang: str | None = None,
        edits_column: str | None = "edits",
        language_column: str | None = "language",
    ) -> None:
        self.cleaner = make_cleaner(cleaner, cleaner_options)
        self.column = column
        self.lang = lang
        self.source_lang = source_lang
        self.edits_column = edits_column
        self.language_column = language_column

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        for added in (self.edits_column, self.language_column):
            if added is not None and added in batch:
                raise ValueError(
                    f"the dataset already has a column {added!r}; name another with "
                    "edits_column=/language_column= (or None to leave it out)"
                )
        texts, edits, languages = [], [], []
        for text in batch[self.column]:
            result = self.cleaner.clean(str(text), self.lang, self.source_lang)
            texts.append(result.text)
            edits.append(json.dumps([e.to_json() for e in result.edits], ensure_ascii=False))
            languages.append(result.language or "")
        out = dict(batch)
        out[self.column] = np.array(texts, dtype=object)
        if self.edits_column is not None:
            out[self.edits_column] = np.array(edits, dtype=object)
        if self.language_column is not None:
            out[self.language_column] = np.array(languages, dtype=object)
        return out


def clean_dataset(
    ds: ray.data.Dataset,
    column: str = "text",
    *,
    cleaner: Cleaner | None = None,
    cleaner_options: dict[str, Any] | None = None,
    lang: str | None = None,
    source_lang: str | None = None,
    edits_column: str | None = "edits",
    language_column: str | None = "language",
    concurrency: int | tuple[int, int] | None = None,
    batch_size: int = 64,
) -> ray.data.Dataset:
    """``ds`` with ``column`` cleaned, and columns for the edits (JSON) and language.

    ``cleaner`` (pickled to each actor) or ``cleaner_options`` (keyword
    arguments of :class:`~cleaner.Cleaner`, built on each actor); neither:
    the shipped packs. ``concurrency``: actors (default: one per CPU of the
    cluster). ``lang``/``source_lang`` as for :meth:`Cleaner.clean`.
    """
    import ray

    if concurrency is None:
        concurrency = max(1, int(ray.cluster_resources().get("CPU", 1)))
    return ds.map_batches(
        CleanBatch,
        fn_constructor_kwargs={
            "cleaner": cleaner,
            "cleaner_options": cleaner_options,
            "column": column,
            "lang": lang,
            "source_lang": source_lang,
            "edits_column": edits_column,
            "language_column": language_column,
        },
        batch_format="numpy",
        batch_size=batch_size,
        concurrency=concurrency,
        num_cpus=1,
    )
