"""Every threshold of the deduplication in one place, so tests and the benchmark can vary them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DedupOptions:
    """Thresholds chosen on tests/dedup/pairs.jsonl (see docs/dedup.md for the measures)."""

    # Fuzzy title stage: rapidfuzz `ratio` on the sorted informative words of both titles.
    title_cutoff: float = 86.0  # below this a pair is never a candidate
    title_strong: float = 93.0  # at or above: type and dates suffice as confirmation
    short_title_tokens: int = 3  # fewer informative words: needs a shared organisation and ~equal title
    short_title_score: float = 97.0
    brief_title_tokens: int = 4  # fewer words (but not short): one differing letter may be another name
    brief_title_score: float = 96.0
    # Blocking: a document is compared only with those sharing one of its rarest words.
    block_tokens: int = 3
    max_block_size: int = 400  # a word shared by more documents does not discriminate
    # A title repeated this often inside one source is a section name (« Actualités »), never matched.
    generic_title_repeats: int = 3
    # Confirmations (days).
    published_window: int = 180
    close_published: int = 21  # a weak title score needs this or a shared organisation
    deadline_tolerance: int = 7
    event_tolerance: int = 1
    # A page linking more PDFs than this is a listing, not the page of one publication.
    max_pdfs_per_page: int = 3
    # Exact content hashes of short texts (title only, empty body) say nothing.
    min_text_for_hash: int = 200
    workers: int = 1  # rapidfuzz cdist workers (-1: every core)
