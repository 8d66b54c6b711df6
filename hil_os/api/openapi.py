"""The OpenAPI 3.1 document of /v1, built by walking the controllers.

Paths, methods, path parameters, query and body schemas and success codes
all come from the controllers and their decorators, so the document cannot
drift from the routes; a test checks each documented operation is served.
"""

import inspect

from pecan import rest

from hil_os.common import policy
from hil_os import version

_METHODS = {'get_all': ('get', False), 'get_one': ('get', True),
            'post': ('post', False), 'put': ('put', None),
            'patch': ('patch', True), 'delete': ('delete', None)}


def _innermost(func):
    while hasattr(func, '__wrapped__'):
        func = func.__wrapped__
    return func


def _decorator_attr(func, name):
    while func is not None:
        if hasattr(func, name):
            return getattr(func, name)
        func = getattr(func, '__wrapped__', None)
    return None


def _path_args(func):
    spec = inspect.getfullargspec(_innermost(func))
    return spec.args[1:]


def _param_name(arg):
    return arg[:-len('_ident')] if arg.endswith('_ident') else arg


def _operation(func, path_args):
    doc = inspect.getdoc(_innermost(func)) or ''
    summary, _, description = doc.partition('\n\n')
    status = str(_decorator_attr(func, 'status_code') or 200)
    operation = {
        'summary': ' '.join(summary.split()),
        'parameters': [{'name': _param_name(a), 'in': 'path',
                        'required': True, 'schema': {'type': 'string'}}
                       for a in path_args],
        'responses': {status: {'description': 'Success'},
                      'default': {'description': 'An error',
                                  'content': {'application/json': {
                                      'schema': {'$ref': '#/components/'
                                                 'schemas/Error'}}}}},
    }
    if description:
        operation['description'] = description
    query = _decorator_attr(func, 'query_schema')
    if query:
        operation['parameters'].extend(
            {'name': name, 'in': 'query', 'required': False,
             'schema': schema}
            for name, schema in sorted(query['properties'].items()))
    body = _decorator_attr(func, 'body_schema')
    if body:
        operation['requestBody'] = {
            'required': not _decorator_attr(func, 'body_optional'),
            'content': {'application/json': {'schema': body}}}
    return operation


def _walk(controller, path, depth, paths):
    """Document a RestController mounted at ``path``.

    ``depth`` path parameters precede it; method arguments name them.
    """
    for name, (method, item) in _METHODS.items():
        func = getattr(controller, name, None)
        if func is None or not getattr(func, 'exposed', False):
            continue
        args = _path_args(func)
        if item is None:
            item = len(args) > depth
        args = args[:depth + 1] if item else args[:depth]
        full = path + ('/{%s}' % _param_name(args[-1]) if item else '')
        paths.setdefault(full, {})[method] = _operation(func, args)
    for attr in sorted(vars(type(controller))):
        child = getattr(controller, attr)
        if isinstance(child, rest.RestController):
            parent = _param_name(_exposed_args(child)[depth])
            _walk(child, '%s/{%s}/%s' % (path, parent, attr), depth + 1,
                  paths)


def _exposed_args(controller):
    for name in _METHODS:
        func = getattr(controller, name, None)
        if func is not None and getattr(func, 'exposed', False):
            return _path_args(func)
    return []


def document():
    """The OpenAPI document of the v1 API."""
    from hil_os.api.controllers import v1

    paths = {}
    v1_controller = v1.V1Controller()
    for resource in v1.RESOURCES:
        _walk(getattr(v1_controller, resource), '/v1/%s' % resource, 0,
              paths)
    rules = {}
    for rule in policy.list_rules():
        for op in getattr(rule, 'operations', []):
            rules.setdefault((op['path'], op['method'].lower()),
                             []).append(rule.name)
    for path, operations in paths.items():
        for method, operation in operations.items():
            names = rules.get((path, method))
            if names:
                operation['x-policy'] = names
    return {
        'openapi': '3.1.0',
        'info': {'title': 'hil-os', 'version':
                 version.version_info.version_string()},
        'paths': dict(sorted(paths.items())),
        'components': {'schemas': {'Error': {
            'type': 'object', 'properties': {'error': {
                'type': 'object', 'properties': {
                    'code': {'type': 'integer'},
                    'title': {'type': 'string'},
                    'message': {'type': 'string'}}}}}}},
    }
