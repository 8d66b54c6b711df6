"""Validation of request bodies and query strings with JSON Schema."""

import functools

import jsonschema
import pecan

from hil_os.common import exception


def _field(error):
    path = '.'.join(str(p) for p in error.absolute_path)
    return path or None


def _message(error):
    if error.validator == 'additionalProperties':
        return error.message.replace('Additional properties are not '
                                     'allowed', 'Unknown field(s)')
    if error.validator == 'required':
        return error.message.replace('is a required property',
                                     'is required')
    if 'description' in error.schema:
        return error.schema['description']
    return error.message


def check(schema, value, what='body'):
    """Raise InvalidParameter naming the first field that breaks ``schema``."""
    validator = _validators.get(id(schema))
    if validator is None:
        validator = _validators[id(schema)] = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.FormatChecker())
    error = jsonschema.exceptions.best_match(validator.iter_errors(value))
    if error is None:
        return
    field = _field(error)
    if field:
        reason = 'Invalid %s field %s: %s' % (what, field, _message(error))
    else:
        reason = 'Invalid %s: %s' % (what, _message(error))
    raise exception.InvalidParameter(reason=reason)


_validators = {}


def json_body():
    """The request body parsed as a JSON object."""
    request = pecan.request
    if not request.body:
        raise exception.InvalidParameter(
            reason='The request needs a JSON body.')
    try:
        return request.json
    except ValueError as e:
        raise exception.InvalidParameter(
            reason='The request body is not valid JSON: %s' % e)


def body(schema, optional=False):
    """Decorate a controller method to receive its validated JSON body.

    ``optional``: a request without a body counts as ``{}``.
    """
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            document = ({} if optional and not pecan.request.body
                        else json_body())
            check(schema, document)
            return func(*args, body=document, **kwargs)
        wrapper.body_schema = schema
        wrapper.body_optional = optional
        return wrapper
    return decorate


def query(params, schema):
    """Validate query parameters; repeated parameters are refused."""
    for name, value in params.items():
        if isinstance(value, list):
            raise exception.InvalidParameter(
                reason='Query parameter %s is given more than once.' % name)
    check(schema, params, what='query parameter')
    return params


def query_params(schema):
    """Decorate a list method to validate its query-string parameters."""
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **params):
            query(params, schema)
            return func(*args, **params)
        wrapper.query_schema = schema
        return wrapper
    return decorate
