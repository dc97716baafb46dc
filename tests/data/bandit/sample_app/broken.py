"""This file does not parse: bandit must report it as skipped, not silently pass it."""


def broken(:
    return 1
