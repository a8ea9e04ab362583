# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sailpoint.identitynow contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SailPoint's standard collection parameters: ``offset``/``limit``/``count``, ``filters`` and ``sorters``.

The filter syntax is the V3 one (``name eq "x"``, ``type in ("a","b")``, ``and``, ``or``, ``not``,
parentheses); each collection says which fields and operators it supports, anything else is a
``CollectionError`` that the caller answers with a 400.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

# Operators of the standard syntax; only those a collection declares are accepted, the others are named in the error.
KNOWN_OPERATORS = ('eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'co', 'sw', 'ew', 'ca', 'pr', 'isnull')
_TOKEN_RE = re.compile(r'\s*(?:(?P<punct>[(),])|"(?P<string>(?:[^"\\]|\\.)*)"|(?P<word>[^\s(),"]+))')


class CollectionError(ValueError):
    """A collection parameter the API would refuse (a 400 naming the parameter)."""


def _tokens(text):
    position, out = 0, []
    text = text.rstrip()
    while position < len(text):
        found = _TOKEN_RE.match(text, position)
        if not found or found.end() == position:
            raise CollectionError("filters: cannot parse %r at position %d." % (text, position))
        position = found.end()
        if found.group('punct'):
            out.append(('punct', found.group('punct')))
        elif found.group('string') is not None:
            out.append(('string', re.sub(r'\\(.)', r'\1', found.group('string'))))
        else:
            out.append(('word', found.group('word')))
    return out


class _FilterParser:
    def __init__(self, text, fields):
        self.text = text
        self.fields = fields
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self, what, literal=None):
        """The next token, which must exist (and equal ``literal`` when given); ``what`` names it in errors."""
        kind, value = self.peek()
        if kind is None:
            raise CollectionError('filters: %r ends too early, expected %s.' % (self.text, what))
        if literal is not None and value != literal:
            raise CollectionError('filters: expected %s, found %r in %r.' % (what, value, self.text))
        self.position += 1
        return kind, value

    def keyword(self, word):
        kind, value = self.peek()
        return kind == 'word' and value.lower() == word

    def parse(self):
        if not self.tokens:
            raise CollectionError('filters: the expression is empty.')
        predicate = self.disjunction()
        if self.position != len(self.tokens):
            raise CollectionError('filters: unexpected %r in %r.' % (self.peek()[1], self.text))
        return predicate

    def disjunction(self):
        parts = [self.conjunction()]
        while self.keyword('or'):
            self.take('or')
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda doc: any(p(doc) for p in parts))

    def conjunction(self):
        parts = [self.factor()]
        while self.keyword('and'):
            self.take('and')
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else (lambda doc: all(p(doc) for p in parts))

    def factor(self):
        if self.keyword('not'):
            self.take('not')
            inner = self.factor()
            return lambda doc: not inner(doc)
        if self.peek() == ('punct', '('):
            self.take("'('")
            inner = self.disjunction()
            self.take("')'", ')')
            return inner
        return self.comparison()

    def comparison(self):
        kind, field = self.take('a field name')
        if kind != 'word':
            raise CollectionError('filters: expected a field name, found %r in %r.' % (field, self.text))
        if field not in self.fields:
            raise CollectionError("filters: filtering is not supported on '%s'; supported fields: %s." % (
                field, ', '.join(sorted(self.fields))))
        kind, operator = self.take('an operator')
        operator = operator.lower() if kind == 'word' else operator
        getter, operators = self.fields[field]
        if operator not in operators:
            what = 'the operator' if operator in KNOWN_OPERATORS else 'the unknown operator'
            raise CollectionError("filters: %s '%s' is not supported on '%s'; supported: %s." % (
                what, operator, field, ', '.join(operators)))
        if operator == 'in':
            values = self.value_list()
        else:
            values = [self.value()]
        wanted = set(v.casefold() for v in values)

        def predicate(document):
            actual = getter(document)
            return actual is not None and str(actual).casefold() in wanted
        return predicate

    def value(self):
        kind, value = self.take('a value')
        if kind == 'punct':
            raise CollectionError('filters: expected a value, found %r in %r.' % (value, self.text))
        return value

    def value_list(self):
        self.take("'(' after in", '(')
        values = [self.value()]
        while self.peek() == ('punct', ','):
            self.take("','")
            values.append(self.value())
        self.take("')' closing the in list", ')')
        return values


def parse_filters(text, fields):
    """A predicate over stored documents for ``text``; ``fields`` maps a name to (getter, operators)."""
    return _FilterParser(text, fields).parse()


def parse_sorters(text, fields):
    """[(getter, descending), ...] for a ``sorters`` value such as ``name`` or ``-name``."""
    keys = []
    for item in text.split(','):
        item = item.strip()
        descending = item.startswith('-')
        name = item[1:] if descending else item
        if name not in fields:
            raise CollectionError("sorters: sorting is not supported on '%s'; supported fields: %s." % (
                name or item, ', '.join(sorted(fields))))
        keys.append((fields[name], descending))
    return keys


def _integer(query, name, default, maximum=None):
    raw = query.get(name)
    if raw is None:
        return default
    if not re.match(r'^[0-9]+$', raw.strip()):
        raise CollectionError("%s: %r is not a non-negative integer." % (name, raw))
    value = int(raw)
    if maximum is not None and value > maximum:
        raise CollectionError('%s: %d is more than the maximum of %d.' % (name, value, maximum))
    return value


def parse_paging(query, max_limit):
    """(offset, limit, count) from the query; a limit over ``max_limit`` is refused, as the API does."""
    offset = _integer(query, 'offset', 0)
    limit = _integer(query, 'limit', max_limit, max_limit)
    count = query.get('count', 'false').strip().lower()
    if count not in ('true', 'false'):
        raise CollectionError("count: %r must be true or false." % query['count'])
    return offset, limit, count == 'true'


def select(documents, query, fields, sort_fields, max_limit):
    """Filter, sort and page ``documents``; returns (page, total). Raises CollectionError."""
    offset, limit, _count = parse_paging(query, max_limit)
    if query.get('filters') is not None:
        predicate = parse_filters(query['filters'], fields)
        documents = [doc for doc in documents if predicate(doc)]
    if query.get('sorters') is not None:
        # Stable sorts from the last key to the first give the multi-key order.
        for getter, descending in reversed(parse_sorters(query['sorters'], sort_fields)):
            documents = sorted(documents, key=lambda doc, g=getter: str(g(doc) or '').casefold(), reverse=descending)
    return documents[offset:offset + limit], len(documents)
