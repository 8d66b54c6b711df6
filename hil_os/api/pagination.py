"""Paging of list answers with ``limit`` and ``marker``."""

import urllib.parse

from oslo_config import cfg
import pecan

CONF = cfg.CONF


def limit(params):
    """The page size a request asks for, within [api] max_limit."""
    value = params.get('limit')
    if value is None:
        return CONF.api.default_limit
    return max(1, min(int(value), CONF.api.max_limit))


def page(collection, items, params, page_size):
    """A list answer, with a link to the next page when this one is full."""
    body = {collection: items}
    if page_size and len(items) == page_size:
        query = {k: v for k, v in params.items() if k != 'marker'}
        query['limit'] = page_size
        query['marker'] = items[-1]['uuid']
        body['next'] = '%s?%s' % (link(pecan.request.path),
                                  urllib.parse.urlencode(query))
    return body


def link(path):
    """An absolute URL of ``path`` as clients reach the API."""
    if CONF.api.public_endpoint:
        return CONF.api.public_endpoint.rstrip('/') + path
    return pecan.request.host_url + path
