"""Pure functions turning a fetched document into the fields of a resource.

No Scrapy imports here: the pipeline, `glaneur build` and `glaneur extract` all call `normalize`.
"""

from normalizers.resource import DOCUMENT_INPUTS, RESOURCE_KEYS, SOURCE_INPUTS, normalize

__all__ = ["DOCUMENT_INPUTS", "RESOURCE_KEYS", "SOURCE_INPUTS", "normalize"]
