"""Page families: each module turns the Site model into its pages and files (see gongshi.web.family).

FAMILIES is the one list of them, in build order; a new kind of page is a module here plus one line below.
"""

from gongshi.web import search
from gongshi.web.pages import (
    changes,
    core,
    downloads,
    follow,
    funds,
    guide,
    lifecycle,
    map,
    notices,
    photos,
    places,
    progress,
    reach,
    schema,
    standard,
)

FAMILIES = (
    core.FAMILY,
    funds.FAMILY,
    places.FAMILY,
    map.FAMILY,
    notices.FAMILY,
    lifecycle.FAMILY,
    progress.FAMILY,
    changes.FAMILY,
    reach.FAMILY,
    follow.FAMILY,
    downloads.FAMILY,
    photos.FAMILY,
    schema.FAMILY,
    guide.FAMILY,
    standard.FAMILY,
    search.FAMILY,
)
