"""datatrove: a pipeline step that cleans each document's text.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanArticles

    LocalPipelineExecutor(
        pipeline=[JsonlReader("in/"), CleanArticles(), JsonlWriter("out/")], tasks=4
    ).run()

The same pipeline runs on Slurm or Ray with datatrove's ``SlurmPipelineExecutor``
or ``RayPipelineExecutor``. Each task builds its :class:`~cleaner.Cleaner` once
(the step pickles as its construction arguments). ``doc.text`` becomes the
clean text; ``doc.metadata`` gets ``clean_articles_edits`` (the number of
applied edits), ``language``/``source_language`` (detected or given) and, with
``keep_edits=True``, ``clean_articles_log`` (the edits as JSON, which
:func:`cleaner.revert` undoes). Stats: documents changed, edits, guarded.
"""

from __future__ import annotations

import json
from typing import Any

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from ..api import Cleaner
from ._options import make_cleaner


class CleanArticles(PipelineStep):
    """Clean ``doc.text`` with a :class:`~cleaner.Cleaner` (see the module docstring)."""

    name = "🧹 clean-articles"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        cleaner: Cleaner | None = None,
        cleaner_options: dict[str, Any] | None = None,
        *,
        lang: str | None = None,
        source_lang: str | None = None,
        keep_edits: bool = False,
    ) -> None:
        super().__init__()
        if cleaner is not None and cleaner_options:
            raise ValueError("give a cleaner or cleaner_options, not both")
        self._given = cleaner
        self._options = cleaner_options
        self._cleaner: Cleaner | None = cleaner
        self.lang = lang
        self.source_lang = source_lang
        self.keep_edits = keep_edits

    @property
    def cleaner(self) -> Cleaner:
        # Built lazily, in the task that runs the step, not in the process that plans it.
        if self._cleaner is None:
            self._cleaner = make_cleaner(self._given, self._options)
        return self._cleaner

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            self.stat_update("total")
            with self.track_time():
                lang = self.lang or doc.metadata.get("language")
                result = self.cleaner.clean(doc.text, lang, self.source_lang)
            doc.text = result.text
            doc.metadata["clean_articles_edits"] = len(result.edits)
            doc.metadata["language"] = result.language
            doc.metadata["source_language"] = result.source_language
            if self.keep_edits:
                doc.metadata["clean_articles_log"] = json.dumps(
                    [e.to_json() for e in result.edits], ensure_ascii=False
                )
            if result.edits:
                self.stat_update("changed")
                self.stat_update("edits", value=len(result.edits))
            if result.guarded:
                self.stat_update("guarded")
            yield doc
