"""Pure functions turning a fetched document into the fields of a resource.

No Scrapy imports here: the pipeline, `glaneur build` and `glaneur extract` all call `normalize`.
"""

from normalizers.resource import RESOURCE_KEYS, normalize

__all__ = ["RESOURCE_KEYS", "normalize"]
